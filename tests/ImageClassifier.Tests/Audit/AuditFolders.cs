using ImageClassifier.Data;
using ImageClassifier.Imaging;
using ImageClassifier.Tests.TestSupport;

namespace ImageClassifier.Tests.Audit;

/// <summary>Small hand-made image folders for the audit tests: real Fashion-MNIST images written as PNG files.</summary>
public static class AuditFolders
{
    public static readonly ImageShape Gray28 = new(1, 28, 28);

    /// <summary>The <paramref name="index"/>-th training image of class <paramref name="label"/> (distinct indices, distinct images).</summary>
    public static byte[] Image(int label, int index) =>
        FashionMnist.Train.Image(Enumerable.Range(0, FashionMnist.Train.Count).Where(i => FashionMnist.Train.Labels[i] == label).Skip(index).First()).ToArray();

    /// <summary>Writes <paramref name="perClass"/> PNGs of each class under folder/&lt;name&gt;/, starting at image <paramref name="first"/>; returns the paths by class.</summary>
    public static Dictionary<string, List<string>> Write(string folder, IReadOnlyDictionary<string, int> classes, int perClass, int first = 0)
    {
        var paths = new Dictionary<string, List<string>>();
        var labels = FashionMnist.Train.Labels;
        foreach (var (name, label) in classes)
        {
            var indices = Enumerable.Range(0, labels.Length).Where(i => labels[i] == label).Skip(first).Take(perClass);
            paths[name] = indices.Select(i =>
            {
                string path = Path.Combine(folder, name, $"{i:D5}.png");
                ImageEncoder.WritePng(path, FashionMnist.Train.Image(i), Gray28);
                return Path.GetFullPath(path);
            }).ToList();
        }
        return paths;
    }

    public static readonly Dictionary<string, int> ThreeClasses = new() { ["trouser"] = 1, ["sneaker"] = 7, ["bag"] = 8 };
}
