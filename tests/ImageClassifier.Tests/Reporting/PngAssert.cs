using SkiaSharp;

namespace ImageClassifier.Tests.Reporting;

/// <summary>
/// Checks that PNG bytes are a real picture: they decode, have the expected size, and are not blank
/// (many colours and enough ink). IMGCLASS_TEST_PICTURES=folder keeps a copy of each, to look at.
/// </summary>
public static class PngAssert
{
    public sealed record PictureInfo(int Width, int Height, int Colours, double InkFraction, double LumaStd, SKBitmap Bitmap);

    public static PictureInfo Picture(byte[] png, string name, int? width = null, int? height = null, int minColours = 16, double minInk = 0.02)
    {
        Keep(png, name);
        Assert.True(png.AsSpan().StartsWith(ImageClassifier.Reporting.Png.Signature), $"{name} is not a PNG");
        var bitmap = SKBitmap.Decode(png);
        Assert.NotNull(bitmap);
        if (width is int w) Assert.Equal(w, bitmap.Width);
        if (height is int h) Assert.Equal(h, bitmap.Height);
        var picture = Measure(bitmap);
        Assert.True(picture.Colours >= minColours, $"{name} has only {picture.Colours} colours: it looks blank");
        Assert.True(picture.InkFraction >= minInk, $"{name} has only {picture.InkFraction:P2} non-white pixels: it looks blank");
        Assert.True(picture.LumaStd > 5, $"{name} hardly varies (luma std {picture.LumaStd:0.0}): it looks blank");
        return picture;
    }

    /// <summary>How many pixels match <paramref name="predicate"/>.</summary>
    public static int CountWhere(SKBitmap bitmap, Func<SKColor, bool> predicate)
    {
        int count = 0;
        for (int y = 0; y < bitmap.Height; y++)
            for (int x = 0; x < bitmap.Width; x++)
                if (predicate(bitmap.GetPixel(x, y))) count++;
        return count;
    }

    /// <summary>How many pixels are close to <paramref name="colour"/> (each channel within <paramref name="tolerance"/>).</summary>
    public static int CountNear(SKBitmap bitmap, SKColor colour, int tolerance = 30)
    {
        int count = 0;
        for (int y = 0; y < bitmap.Height; y++)
            for (int x = 0; x < bitmap.Width; x++)
            {
                var c = bitmap.GetPixel(x, y);
                if (Math.Abs(c.Red - colour.Red) <= tolerance && Math.Abs(c.Green - colour.Green) <= tolerance && Math.Abs(c.Blue - colour.Blue) <= tolerance) count++;
            }
        return count;
    }

    static PictureInfo Measure(SKBitmap bitmap)
    {
        var colours = new HashSet<uint>();
        long ink = 0;
        double sum = 0, sumSquares = 0;
        for (int y = 0; y < bitmap.Height; y++)
            for (int x = 0; x < bitmap.Width; x++)
            {
                var c = bitmap.GetPixel(x, y);
                colours.Add((uint)c);
                if (c.Red < 240 || c.Green < 240 || c.Blue < 240) ink++;
                double luma = 0.299 * c.Red + 0.587 * c.Green + 0.114 * c.Blue;
                sum += luma;
                sumSquares += luma * luma;
            }
        double n = (double)bitmap.Width * bitmap.Height, mean = sum / n;
        return new PictureInfo(bitmap.Width, bitmap.Height, colours.Count, ink / n, Math.Sqrt(Math.Max(0, sumSquares / n - mean * mean)), bitmap);
    }

    static void Keep(byte[] png, string name)
    {
        if (Environment.GetEnvironmentVariable("IMGCLASS_TEST_PICTURES") is not { Length: > 0 } folder) return;
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, name + ".png"), png);
    }
}
