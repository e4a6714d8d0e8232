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
        var opened = ImageDecoder.OpenCodec(data, name); // the header only: GetPixels would decode
        using var encoded = opened.Data;
        using var codec = opened.Codec;
        var format = opened.Format;
        return new ImageHeader(format, codec.Info.Width, codec.Info.Height);
    }
}
