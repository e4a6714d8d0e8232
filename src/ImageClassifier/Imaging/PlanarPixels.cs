using SkiaSharp;

namespace ImageClassifier.Imaging;

/// <summary>Conversions between Skia's interleaved RGBA rows and the planar C x H x W bytes datasets hold.</summary>
internal static class PlanarPixels
{
    // OpenCV's cvtColor RGB2GRAY for 8-bit images: the ITU-R BT.601 luma weights 0.299/0.587/0.114 as
    // 14-bit fixed point (summing to 1 << 14) with rounding, so gray values match what OpenCV gives.
    private const int RedWeight = 4899, GreenWeight = 9617, BlueWeight = 1868, Shift = 14;

    public static byte Luma(byte red, byte green, byte blue) =>
        (byte)((red * RedWeight + green * GreenWeight + blue * BlueWeight + (1 << (Shift - 1))) >> Shift);

    public static void CheckShape(ImageShape shape)
    {
        if (shape.Channels is not (1 or 3))
            throw new ArgumentException($"Images have 1 channel (gray) or 3 (RGB), not {shape.Channels}.", nameof(shape));
        if (shape.Height < 1 || shape.Width < 1)
            throw new ArgumentException($"Image shape {shape} has no pixels.", nameof(shape));
    }

    /// <summary>An opaque RGBA8888 bitmap to planar bytes: RGB planes, or one luma plane.</summary>
    public static void FromRgba(SKBitmap bitmap, int channels, Span<byte> planar)
    {
        int width = bitmap.Width, height = bitmap.Height, rowBytes = bitmap.RowBytes, plane = width * height;
        if (bitmap.ColorType != SKColorType.Rgba8888)
            throw new ArgumentException($"Expected an RGBA8888 bitmap, got {bitmap.ColorType}.", nameof(bitmap));
        if (planar.Length != channels * plane)
            throw new ArgumentException($"{channels} x {height} x {width} pixels need {channels * plane} bytes, got {planar.Length}.", nameof(planar));
        ReadOnlySpan<byte> rgba = bitmap.GetPixelSpan();
        for (int y = 0; y < height; y++)
        {
            var row = rgba.Slice(y * rowBytes, width * 4);
            int at = y * width;
            for (int x = 0; x < width; x++, at++)
            {
                byte r = row[x * 4], g = row[x * 4 + 1], b = row[x * 4 + 2];
                if (channels == 1)
                    planar[at] = Luma(r, g, b);
                else
                {
                    planar[at] = r;
                    planar[plane + at] = g;
                    planar[2 * plane + at] = b;
                }
            }
        }
    }
}
