using SkiaSharp;
using ImageClassifier.IO;

namespace ImageClassifier.Reporting;

/// <summary>PNG bytes of what was drawn, and writing them to files.</summary>
public static class Png
{
    /// <summary>The 8-byte signature every PNG file starts with.</summary>
    public static ReadOnlySpan<byte> Signature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Writes PNG bytes to <paramref name="path"/>, creating its folder, and returns the full path.</summary>
    public static string Write(string path, byte[] png)
    {
        string full = Path.GetFullPath(path);
        AtomicFile.WriteAllBytes(full, png);
        return full;
    }

    /// <summary>Draws on a white canvas of the given size and returns it as PNG.</summary>
    internal static byte[] Draw(int width, int height, Action<SKCanvas> draw)
    {
        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul))
            ?? throw new InvalidOperationException($"Skia could not make a {width} x {height} canvas.");
        surface.Canvas.Clear(SKColors.White);
        draw(surface.Canvas);
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100)
            ?? throw new InvalidOperationException("Skia could not encode the picture as PNG.");
        return data.ToArray();
    }

    /// <summary>A ScottPlot plot rendered to PNG, in the report font.</summary>
    internal static byte[] Plot(ScottPlot.Plot plot, int width, int height)
    {
        ReportFonts.Apply(plot);
        return plot.GetImageBytes(width, height, ScottPlot.ImageFormat.Png);
    }
}
