using SkiaSharp;

namespace ImageClassifier.Imaging;

/// <summary>Images of one shape laid out in a grid on white, as one PNG (for previews).</summary>
public static class ImageGrid
{
    public static byte[] EncodePng(IReadOnlyList<byte[]> images, ImageShape shape, int columns, int gap = 4)
    {
        if (images.Count == 0) throw new ArgumentException("A grid needs at least one image.", nameof(images));
        if (columns < 1) throw new ArgumentOutOfRangeException(nameof(columns), columns, "A grid needs at least one column.");
        int rows = (images.Count + columns - 1) / columns;
        int width = columns * shape.Width + (columns + 1) * gap, height = rows * shape.Height + (rows + 1) * gap;
        using var grid = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(grid))
        {
            canvas.Clear(SKColors.White);
            for (int i = 0; i < images.Count; i++)
            {
                using var bitmap = ImageEncoder.ToBitmap(images[i], shape);
                int x = gap + i % columns * (shape.Width + gap), y = gap + i / columns * (shape.Height + gap);
                canvas.DrawBitmap(bitmap, x, y);
            }
        }
        using var data = grid.Encode(SKEncodedImageFormat.Png, 100)
            ?? throw new InvalidOperationException($"Skia could not encode a {width} x {height} grid as PNG.");
        return data.ToArray();
    }
}
