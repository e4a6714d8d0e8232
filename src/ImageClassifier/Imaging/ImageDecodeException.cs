namespace ImageClassifier.Imaging;

/// <summary>
/// A file (or buffer) that is not a readable image: not an image at all, truncated, corrupt or too large.
/// The message names the file; <see cref="Reason"/> is the problem alone, for lists of skipped files.
/// Imaging's own error, not a dataset error: decoding knows no datasets (the readers in Data wrap or skip it).
/// </summary>
public sealed class ImageDecodeException(string reason, string? path = null, Exception? inner = null)
    : Exception(path is null ? reason : $"{path}: {reason}", inner)
{
    public string Reason { get; } = reason;

    public string? Path { get; } = path;
}
