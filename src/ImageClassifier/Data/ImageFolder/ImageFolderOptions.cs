using ImageClassifier.Imaging;

namespace ImageClassifier.Data;

/// <summary>How <see cref="ImageFolderReader"/> reads a folder of images.</summary>
/// <param name="Shape">Every image is stretched (not cropped) to this height and width; 1 channel reads gray, 3 reads RGB.</param>
/// <param name="Strict">Throw on the first file (in path order) that is not a readable image, instead of skipping and listing it.</param>
/// <param name="Workers">How many files to decode at once; 0 (the default) means one per processor.</param>
public sealed record ImageFolderOptions(ImageShape Shape, bool Strict = false, int Workers = default)
{
    /// <summary>Files (full paths) left out as if they were not there, e.g. <see cref="ExclusionList.Read"/>'s; null: none.</summary>
    public IReadOnlySet<string>? Exclude { get; init; }

    /// <summary>Whether <paramref name="path"/> is to be left out.</summary>
    public bool Excludes(string path) => Exclude is { Count: > 0 } exclude && exclude.Contains(Path.GetFullPath(path));
}

/// <summary>A file left out of a dataset, and why ("not an image: ...", "corrupt or truncated JPEG: ...").</summary>
public sealed record SkippedFile(string Path, string Reason);

/// <summary>A dataset read from an image folder, with the files that were skipped (the caller warns about them).</summary>
public sealed record ImageFolderResult(ImageDataset Dataset, IReadOnlyList<SkippedFile> Skipped);

/// <summary>Train (and test) datasets read from an image folder, with the files skipped in either.</summary>
public sealed record ImageFolderSplits(DatasetSplits Splits, IReadOnlyList<SkippedFile> Skipped);
