using ImageClassifier.Data;
using ImageClassifier.Imaging;
using SkiaSharp;

namespace ImageClassifier.Reporting;

/// <summary>A line of a tile's caption, in its colour.</summary>
internal sealed record CaptionLine(string Text, SKColor Color);

/// <summary>One image of a dataset with its caption, framed in <c>Frame</c> when given.</summary>
internal sealed record GridTile(int Index, IReadOnlyList<CaptionLine> Caption, SKColor? Frame = null);

/// <summary>
/// Lays images out in a grid with captions under a title, drawn with SkiaSharp. By hand because
/// no .NET library draws captioned image grids; every grid picture (samples, predictions, top
/// losses) shares this layout.
/// </summary>
internal static class ImageGrid
{
    const float Margin = 16, Gap = 12, CaptionSize = 14, TitleSize = 20, FrameWidth = 4;
    const int ImageSide = 112, MaxTileWidth = 260;

    public static byte[] Render(ImageDataset data, string title, IReadOnlyList<GridTile> tiles, int? columns = null, string? empty = null)
    {
        using var titleFont = ReportFonts.Font(TitleSize, isBold: true);
        using var captionFont = ReportFonts.Font(CaptionSize);
        var (imageWidth, imageHeight) = ImageSize(data.Shape);
        float widest = tiles.SelectMany(t => t.Caption).Select(l => captionFont.MeasureText(l.Text)).DefaultIfEmpty(0).Max();
        float tileWidth = Math.Clamp(widest + 8, imageWidth + 2 * FrameWidth, MaxTileWidth);
        int captionLines = tiles.Select(t => t.Caption.Count).DefaultIfEmpty(0).Max();
        float lineHeight = captionFont.Spacing;
        float tileHeight = imageHeight + 2 * FrameWidth + 4 + captionLines * lineHeight;

        int count = tiles.Count;
        int cols = Math.Max(1, Math.Min(columns ?? (int)Math.Ceiling(Math.Sqrt(count)), Math.Max(count, 1)));
        int rows = Math.Max(1, (count + cols - 1) / cols);
        float titleHeight = titleFont.Spacing + 8;
        float gridWidth = cols * tileWidth + (cols - 1) * Gap;
        float width = Math.Max(gridWidth, titleFont.MeasureText(title)) + 2 * Margin;
        float height = Margin + titleHeight + (count == 0 ? lineHeight * 2 : rows * tileHeight + (rows - 1) * Gap) + Margin;

        return Png.Draw((int)Math.Ceiling(width), (int)Math.Ceiling(height), canvas =>
        {
            using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true };
            canvas.DrawText(title, width / 2, Margin - titleFont.Metrics.Ascent, SKTextAlign.Center, titleFont, ink);
            float top = Margin + titleHeight;
            if (count == 0)
            {
                canvas.DrawText(empty ?? "Nothing to show.", width / 2, top + lineHeight, SKTextAlign.Center, captionFont, ink);
                return;
            }
            float left = (width - gridWidth) / 2;
            for (int i = 0; i < count; i++)
            {
                float x = left + i % cols * (tileWidth + Gap), y = top + i / cols * (tileHeight + Gap);
                DrawTile(canvas, data, tiles[i], new SKRect(x, y, x + tileWidth, y + tileHeight), imageWidth, imageHeight, captionFont);
            }
        });
    }

    static void DrawTile(SKCanvas canvas, ImageDataset data, GridTile tile, SKRect cell, int imageWidth, int imageHeight, SKFont font)
    {
        float imageLeft = cell.MidX - imageWidth / 2f, imageTop = cell.Top + FrameWidth;
        var target = new SKRect(imageLeft, imageTop, imageLeft + imageWidth, imageTop + imageHeight);
        if (tile.Frame is SKColor frame)
        {
            using var framePaint = new SKPaint { Color = frame, IsAntialias = true };
            var outer = target;
            outer.Inflate(FrameWidth, FrameWidth);
            canvas.DrawRect(outer, framePaint);
        }
        using (var bitmap = ImageEncoder.ToBitmap(data.Image(tile.Index), data.Shape))
        using (var image = SKImage.FromBitmap(bitmap))
        {
            // Small images are enlarged pixel by pixel, so they stay sharp instead of blurring.
            var sampling = imageWidth >= bitmap.Width ? new SKSamplingOptions(SKFilterMode.Nearest) : new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear);
            canvas.DrawImage(image, target, sampling);
        }
        float baseline = target.Bottom + FrameWidth + 4 - font.Metrics.Ascent;
        foreach (var line in tile.Caption)
        {
            using var paint = new SKPaint { Color = line.Color, IsAntialias = true };
            canvas.DrawText(Fit(line.Text, cell.Width - 4, font), cell.MidX, baseline, SKTextAlign.Center, font, paint);
            baseline += font.Spacing;
        }
    }

    /// <summary>The image drawn about <see cref="ImageSide"/> pixels wide: small ones enlarged by a whole factor.</summary>
    static (int Width, int Height) ImageSize(ImageShape shape)
    {
        int side = Math.Max(shape.Width, shape.Height);
        if (side <= ImageSide)
        {
            int factor = Math.Max(1, ImageSide / side);
            return (shape.Width * factor, shape.Height * factor);
        }
        double scale = ImageSide / (double)side;
        return (Math.Max(1, (int)Math.Round(shape.Width * scale)), Math.Max(1, (int)Math.Round(shape.Height * scale)));
    }

    /// <summary>The text cut with an ellipsis to fit <paramref name="width"/>.</summary>
    static string Fit(string text, float width, SKFont font)
    {
        if (font.MeasureText(text) <= width) return text;
        for (int length = text.Length - 1; length > 0; length--)
        {
            string cut = text[..length].TrimEnd() + "…";
            if (font.MeasureText(cut) <= width) return cut;
        }
        return "…";
    }
}
