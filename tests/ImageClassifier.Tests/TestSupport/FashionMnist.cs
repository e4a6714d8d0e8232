using ImageClassifier.Data;

namespace ImageClassifier.Tests.TestSupport;

/// <summary>
/// The real Fashion-MNIST from Debian's dataset-fashion-mnist package (./test.sh installs it),
/// loaded once for all tests. A missing package fails the tests that need it, with the fix.
/// </summary>
public static class FashionMnist
{
    public const string Folder = "/usr/share/datasets/fashion-mnist";

    static readonly Lazy<DatasetSplits> splits = new(() =>
    {
        if (!Directory.Exists(Folder))
            throw new InvalidOperationException($"{Folder} is missing: run `sudo apt-get install dataset-fashion-mnist` (./test.sh does).");
        return DatasetCatalog.Load("fashion-mnist", new DatasetLocator());
    });

    public static ImageDataset Train => splits.Value.Train;
    public static ImageDataset Test => splits.Value.Test!;
}
