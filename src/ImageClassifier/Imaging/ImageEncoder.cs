using SkiaSharp;
using ImageClassifier.IO;

namespace ImageClassifier.Imaging;

/// <summary>Planar image bytes (C x H x W, 1 or 3 channels, 0..255) back to pictures: Skia bitmaps and PNG files.</summary>
public static class ImageEncoder
{
    /// <summary>
    /// A bitmap the caller disposes: Gray8 for 1 channel (so PNGs stay grayscale), opaque RGBA8888 for 3.
    /// Both draw onto any canvas, e.g. to lay out picture grids.
    /// </summary>
    public static SKBitmap ToBitmap(ReadOnlySpan<byte> planar, ImageShape shape)
    {
        PlanarPixels.CheckShape(shape);
        if (planar.Length != shape.Size)
            throw new ArgumentException($"Shape {shape} needs {shape.Size} bytes, got {planar.Length}.", nameof(planar));
        int width = shape.Width, height = shape.Height, plane = width * height;
        var colorType = shape.Channels == 1 ? SKColorType.Gray8 : SKColorType.Rgba8888;
        var bitmap = new SKBitmap(new SKImageInfo(width, height, colorType, SKAlphaType.Opaque));
        Span<byte> pixels = bitmap.GetPixelSpan();
        int rowBytes = bitmap.RowBytes;
        for (int y = 0; y < height; y++)
        {
            var row = pixels.Slice(y * rowBytes, rowBytes);
            int at = y * width;
            if (shape.Channels == 1)
            {
                planar.Slice(at, width).CopyTo(row);
                continue;
            }
            for (int x = 0; x < width; x++, at++)
            {
                row[x * 4] = planar[at];
                row[x * 4 + 1] = planar[plane + at];
                row[x * 4 + 2] = planar[2 * plane + at];
                row[x * 4 + 3] = 255;
            }
        }
        return bitmap;
    }

    /// <summary>The image as PNG bytes (lossless, so decoding gives the same bytes back).</summary>
    public static byte[] EncodePng(ReadOnlySpan<byte> planar, ImageShape shape)
    {
        using var bitmap = ToBitmap(planar, shape);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100)
            ?? throw new InvalidOperationException($"Skia could not encode a {shape} image as PNG.");
        return data.ToArray();
    }

    /// <summary>The image as JPEG bytes (lossy; grayscale JPEG for 1 channel), e.g. to make decoding benchmarks.</summary>
    public static byte[] EncodeJpeg(ReadOnlySpan<byte> planar, ImageShape shape, int quality = 90)
    {
        if (quality is < 1 or > 100) throw new ArgumentOutOfRangeException(nameof(quality), quality, "JPEG quality must be 1 to 100.");
        using var bitmap = ToBitmap(planar, shape);
        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, quality)
            ?? throw new InvalidOperationException($"Skia could not encode a {shape} image as JPEG.");
        return data.ToArray();
    }

    /// <summary>Writes the image as a PNG file, creating its folder when needed.</summary>
    public static void WritePng(string path, ReadOnlySpan<byte> planar, ImageShape shape)
    {
        var png = EncodePng(planar, shape);
        AtomicFile.WriteAllBytes(path, png);
    }
}
