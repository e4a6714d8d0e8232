using ImageClassifier.Data;
using ImageClassifier.Evaluation.Explain;
using ImageClassifier.Imaging;
using ImageClassifier.Models;
using SkiaSharp;

namespace ImageClassifier.Reporting;

/// <summary>
/// Draws an explanation as one picture: the image, the heatmap and the heatmap over the image side
/// by side, under a title such as "Pred: Sneaker (97.1%)". Tiles are at least
/// <see cref="MinTile"/> pixels on their long side (a 28x28 image is hard to read smaller) and at
/// most <see cref="MaxTile"/>. The numbers come from Evaluation.Explain; this is only the drawing.
/// </summary>
public static class ExplanationPanel
{
    public const int MinTile = 224, MaxTile = 512, Gap = 8, TitleHeight = 34, CaptionHeight = 22;

    /// <summary>The panel as PNG bytes. <paramref name="image"/>: planar bytes of <paramref name="shape"/>, 1 or 3 channels.</summary>
    public static byte[] RenderPng(ReadOnlySpan<byte> image, ImageShape shape, Explanation explanation,
        ExplainOptions? options = null, string? trueClass = null)
    {
        options ??= ExplainOptions.Default;
        options.Validate();
        var (width, height) = TileSize(shape);
        var tile = new ImageShape(3, height, width);
        byte[] original = Rgb(image, shape, tile);
        var (heat, overlay) = Colour(original, explanation.Heatmap.ResizeTo(width, height), options);
        string title = explanation.Title(trueClass);
        string[] captions = ["image", $"{explanation.Method.DisplayName()} · {explanation.Layer}", $"overlay (alpha {options.Alpha:0.##})"];
        byte[][] tiles = [original, heat, overlay];

        int panelWidth = 3 * width + 4 * Gap;
        return Png.Draw(panelWidth, TitleHeight + CaptionHeight + height + Gap, canvas =>
        {
            using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true };
            DrawText(canvas, title, panelWidth / 2f, TitleHeight - 10, 18, panelWidth - 2 * Gap, ink);
            for (int i = 0; i < 3; i++)
            {
                float left = Gap + i * (width + Gap);
                DrawText(canvas, captions[i], left + width / 2f, TitleHeight + CaptionHeight - 7, 13, width, ink);
                using var bitmap = ImageEncoder.ToBitmap(tiles[i], tile);
                canvas.DrawBitmap(bitmap, left, TitleHeight + CaptionHeight);
            }
        });
    }

    /// <summary>The overlay alone (the heatmap blended over the image) at tile size, as PNG bytes: what a web page shows beside its own labels.</summary>
    public static byte[] RenderOverlayPng(ReadOnlySpan<byte> image, ImageShape shape, Explanation explanation, ExplainOptions? options = null)
    {
        options ??= ExplainOptions.Default;
        options.Validate();
        var (width, height) = TileSize(shape);
        var tile = new ImageShape(3, height, width);
        var (_, overlay) = Colour(Rgb(image, shape, tile), explanation.Heatmap.ResizeTo(width, height), options);
        return ImageEncoder.EncodePng(overlay, tile);
    }

    /// <summary>The panel of an explained image file, drawn at the file's own size.</summary>
    public static byte[] RenderPng(FileExplanation file, ExplainOptions? options = null) =>
        RenderPng(file.Image.Pixels, file.Image.Shape, file.Explanation, options);

    /// <summary>
    /// Explains one image and draws its panel (e.g. for a report).
    /// <paramref name="image"/>: planar bytes of <paramref name="shape"/> with the model's channels, any size.
    /// </summary>
    public static byte[] ExplainPng(this Classifier model, ReadOnlySpan<byte> image, ImageShape shape,
        ExplainOptions? options = null, string? trueClass = null) =>
        RenderPng(image, shape, model.Explain(image, shape, options), options, trueClass);

    /// <summary>Panels for images of a dataset (e.g. its top losses), titled with their true class too.</summary>
    public static IReadOnlyList<byte[]> ExplainPngs(this Classifier model, ImageDataset data, IReadOnlyList<int> indices,
        ExplainOptions? options = null, int batchSize = 32)
    {
        var explanations = model.Explain(data, indices, options, batchSize);
        return indices.Select((index, i) => RenderPng(data.Image(index), data.Shape, explanations[i], options, data.ClassNames[data.Labels[index]])).ToArray();
    }

    /// <summary>The size each of the three pictures is drawn at, keeping the image's aspect ratio.</summary>
    public static (int Width, int Height) TileSize(ImageShape shape)
    {
        int longSide = Math.Max(shape.Width, shape.Height);
        double scale = Math.Clamp(longSide, MinTile, MaxTile) / (double)longSide;
        return (Math.Max(1, (int)Math.Round(shape.Width * scale)), Math.Max(1, (int)Math.Round(shape.Height * scale)));
    }

    // The image at tile size as RGB planes (gray copied to all three).
    static byte[] Rgb(ReadOnlySpan<byte> image, ImageShape shape, ImageShape tile)
    {
        var resized = new DecodedImage(shape.Width, shape.Height, shape.Channels, image.ToArray()).ResizeTo(tile with { Channels = shape.Channels });
        if (shape.Channels == 3) return resized.Pixels;
        return [.. resized.Pixels, .. resized.Pixels, .. resized.Pixels];
    }

    // The heatmap in colour, and blended over the image: (1 - alpha) image + alpha colour.
    static (byte[] Heat, byte[] Overlay) Colour(byte[] original, Heatmap heatmap, ExplainOptions options)
    {
        int plane = heatmap.Width * heatmap.Height;
        var heat = new byte[3 * plane];
        var overlay = new byte[3 * plane];
        float alpha = (float)options.Alpha;
        for (int i = 0; i < plane; i++)
        {
            var (r, g, b) = options.ColorMap.Color(heatmap.Values[i]);
            heat[i] = r;
            heat[plane + i] = g;
            heat[2 * plane + i] = b;
            for (int c = 0; c < 3; c++)
            {
                int at = c * plane + i;
                overlay[at] = (byte)Math.Round((1 - alpha) * original[at] + alpha * heat[at]);
            }
        }
        return (heat, overlay);
    }

    // Centred text in the report font, shrunk to fit when it is wider than the space it has.
    static void DrawText(SKCanvas canvas, string text, float centre, float baseline, float size, float room, SKPaint ink)
    {
        using var font = ReportFonts.Font(size);
        float width = font.MeasureText(text);
        if (width > room) font.Size = size * room / width;
        canvas.DrawText(text, centre, baseline, SKTextAlign.Center, font, ink);
    }
}
