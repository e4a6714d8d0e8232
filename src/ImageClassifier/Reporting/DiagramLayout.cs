using SkiaSharp;

namespace ImageClassifier.Reporting;

/// <summary>A box of the diagram: the node, where it is, and where its three columns start.</summary>
internal sealed record DiagramBox(DiagramNode Node, SKRect Bounds, float NameRight, float LabelRight);

/// <summary>
/// Where everything of a <see cref="ModelDiagram"/> goes, measured once with the report font so that
/// the SVG and the PNG draw the same picture: a title, then one box per layer in a column, joined by
/// arrows. Each box has three columns, as Keras' plot_model draws them: "name (Type)", then
/// "input:" over "output:", then the two shapes.
/// </summary>
internal sealed class DiagramLayout
{
    public const float FontSize = 14, TitleSize = 18, Padding = 10, RowHeight = 24, Gap = 34, Margin = 20;

    DiagramLayout(string title, IReadOnlyList<DiagramBox> boxes, float width, float height, float titleBaseline)
    {
        Title = title;
        Boxes = boxes;
        Width = width;
        Height = height;
        TitleBaseline = titleBaseline;
    }

    public string Title { get; }
    public IReadOnlyList<DiagramBox> Boxes { get; }
    public float Width { get; }
    public float Height { get; }
    public float TitleBaseline { get; }

    /// <summary>The baseline that centres a line of text on <paramref name="middle"/>.</summary>
    public static float Baseline(float middle, SKFont font) => middle - (font.Metrics.Ascent + font.Metrics.Descent) / 2;

    public static DiagramLayout Of(ModelDiagram diagram)
    {
        using var font = ReportFonts.Font(FontSize);
        using var bold = ReportFonts.Font(FontSize, isBold: true);
        using var titleFont = ReportFonts.Font(TitleSize, isBold: true);
        var nodes = diagram.Nodes;
        // Common column widths, so the boxes line up in one tidy column.
        float nameWidth = nodes.Select(n => bold.MeasureText(n.Label)).DefaultIfEmpty(0).Max() + 2 * Padding;
        float labelWidth = Math.Max(font.MeasureText("input:"), font.MeasureText("output:")) + 2 * Padding;
        float shapeWidth = nodes.SelectMany(n => new[] { n.InputShape, n.OutputShape }).Select(s => font.MeasureText(s)).DefaultIfEmpty(0).Max() + 2 * Padding;
        float boxWidth = nameWidth + labelWidth + shapeWidth, boxHeight = 2 * RowHeight;

        float width = Math.Max(boxWidth, titleFont.MeasureText(diagram.Title)) + 2 * Margin;
        float titleBaseline = Margin - titleFont.Metrics.Ascent;
        float top = titleBaseline + titleFont.Metrics.Descent + 16;
        float left = (width - boxWidth) / 2;
        var boxes = nodes.Select((node, i) =>
        {
            float y = top + i * (boxHeight + Gap);
            return new DiagramBox(node, new SKRect(left, y, left + boxWidth, y + boxHeight), left + nameWidth, left + nameWidth + labelWidth);
        }).ToArray();
        float height = top + nodes.Count * boxHeight + Math.Max(0, nodes.Count - 1) * Gap + Margin;
        return new DiagramLayout(diagram.Title, boxes, MathF.Ceiling(width), MathF.Ceiling(height), titleBaseline);
    }

    /// <summary>The fill of a layer's box by its kind, so convolution, pooling and dense blocks stand out.</summary>
    public static SKColor Fill(string kind) => kind switch
    {
        "InputLayer" => new SKColor(0xEC, 0xEF, 0xF1),
        _ when kind.StartsWith("Conv", StringComparison.Ordinal) => new SKColor(0xDD, 0xEB, 0xF7),
        _ when kind.Contains("Pooling", StringComparison.Ordinal) => new SKColor(0xE2, 0xF0, 0xD9),
        "Dense" => new SKColor(0xFC, 0xE4, 0xD6),
        _ => new SKColor(0xF4, 0xF4, 0xF4),
    };

    public static readonly SKColor Stroke = new(0x44, 0x44, 0x44);
}
