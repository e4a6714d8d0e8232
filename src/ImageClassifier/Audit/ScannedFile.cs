using ImageClassifier.Imaging;

namespace ImageClassifier.Audit;

/// <summary>
/// One file as the audit read it: where it is, its split and class folder, and either why it is not a usable image
/// (<see cref="Problem"/>, <see cref="Reason"/>) or what the decoded image is (size, gray or colour, hashes).
/// </summary>
public sealed record ScannedFile(int Index, string Path, string Split, int Label, long Bytes, ImageFormat? Format)
{
    /// <summary>Why the file cannot be used (a <see cref="FileProblems"/> kind: empty, not_an_image, truncated, corrupt, unreadable); null when it decoded.</summary>
    public string? Problem { get; init; }
    public string? Reason { get; init; }
    public int Width { get; init; }
    public int Height { get; init; }
    /// <summary>Gray content: a 1-channel file, or a colour file whose three planes are equal.</summary>
    public bool Gray { get; init; }
    /// <summary>The file holds one channel (stored gray).</summary>
    public bool StoredGray { get; init; }
    public string? PixelHash { get; init; }
    public ulong PHash { get; init; }
    public ulong DHash { get; init; }
    /// <summary>The thumbnail is one flat colour (a blank image).</summary>
    public bool Blank { get; init; }

    public bool Decoded => Problem is null;
}
