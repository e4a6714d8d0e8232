using SkiaSharp;

namespace ImageClassifier.Imaging;

/// <summary>
/// An encoded image's format and size read from its header alone: no pixel memory is allocated,
/// so a server can refuse a small file that claims 50,000 x 50,000 pixels before decoding it.
/// The size is as stored (before any EXIF rotation, which only swaps the two sides).
/// </summary>
public sealed record ImageHeader(ImageFormat Format, int Width, int Height)
{
    /// <summary>Reads the header of <paramref name="data"/>; <paramref name="name"/> names it in errors.</summary>
    public static ImageHeader Read(ReadOnlySpan<byte> data, string? name = null)
    {
        if (data.IsEmpty) throw new ImageDecodeException("empty file (0 bytes), not an image", name);
        if (ImageFormats.Detect(data) is not { } format)
            throw new ImageDecodeException($"not an image: content starts with {ImageDecoder.DescribeStart(data)}; expected {ImageFormats.SupportedList}", name);
        using var encoded = SKData.CreateCopy(data);
        // SKCodec.Create parses the header only; the pixels are decoded later, by GetPixels.
        using var codec = SKCodec.Create(new SKMemoryStream(encoded), out var opened);
        if (codec is null)
            throw new ImageDecodeException(opened == SKCodecResult.IncompleteInput
                ? $"corrupt or truncated {format.DisplayName()}: its header is incomplete"
                : $"corrupt {format.DisplayName()}: its header cannot be read ({opened})", name);
        return new ImageHeader(format, codec.Info.Width, codec.Info.Height);
    }
}
