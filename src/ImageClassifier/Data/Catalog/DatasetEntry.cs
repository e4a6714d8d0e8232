using ImageClassifier.Imaging;

namespace ImageClassifier.Data;

/// <summary>How a catalog dataset's files are laid out, which decides the reader.</summary>
public enum DatasetFormat
{
    /// <summary>The four MNIST-style IDX files (train/t10k images and labels), gzip or raw.</summary>
    Idx,

    /// <summary><c>cifar-10-binary.tar.gz</c> or its extracted <c>cifar-10-batches-bin</c> folder.</summary>
    Cifar10Binary,
}

/// <summary>One file of a dataset: where it is published (mirrors, tried in order) and its published checksum.</summary>
public sealed record DatasetFile(string FileName, IReadOnlyList<Uri> Urls, Checksum Checksum);

/// <summary>A named dataset the toolkit knows how to find, download and read.</summary>
public sealed record DatasetEntry(
    string Name,
    string Description,
    DatasetFormat Format,
    IReadOnlyList<string> ClassNames,
    ImageShape Shape,
    int TrainCount,
    int TestCount,
    IReadOnlyList<DatasetFile> Files)
{
    /// <summary>A Debian package that installs the files in <c>/usr/share/datasets/&lt;name&gt;</c>, if there is one.</summary>
    public string? SystemPackage { get; init; }

    public string? Homepage { get; init; }

    /// <summary>Anything a user should know about the files (shown by <c>imgclass datasets</c>).</summary>
    public string? Notes { get; init; }
}
