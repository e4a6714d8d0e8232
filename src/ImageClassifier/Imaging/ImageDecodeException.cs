using ImageClassifier.Data;

namespace ImageClassifier.Imaging;

/// <summary>
/// A file (or buffer) that is not a readable image: not an image at all, truncated, corrupt or too large.
/// The message names the file; <see cref="Reason"/> is the problem alone, for lists of skipped files.
/// </summary>
public sealed class ImageDecodeException(string reason, string? path = null, Exception? inner = null)
    : DatasetException(reason, path, inner)
{
    public string Reason { get; } = reason;
}
