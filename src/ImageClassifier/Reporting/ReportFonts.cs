using SkiaSharp;

namespace ImageClassifier.Reporting;

/// <summary>
/// The font of every picture: DejaVu Sans (Debian's fonts-dejavu-core), found by family name, else
/// by its file, else Skia's default, so that a machine without it still draws readable text.
/// </summary>
public static class ReportFonts
{
    public const string Family = "DejaVu Sans";

    const string Folder = "/usr/share/fonts/truetype/dejavu";

    static readonly Lazy<SKTypeface> regular = new(() => Load(SKFontStyle.Normal, "DejaVuSans.ttf"));
    static readonly Lazy<SKTypeface> bold = new(() => Load(SKFontStyle.Bold, "DejaVuSans-Bold.ttf"));
    static readonly Lazy<string> scottPlotFamily = new(RegisterWithScottPlot);

    public static SKTypeface Regular => regular.Value;
    public static SKTypeface Bold => bold.Value;

    /// <summary>An anti-aliased font of <paramref name="size"/> pixels.</summary>
    public static SKFont Font(float size, bool isBold = false) =>
        new(isBold ? Bold : Regular, size) { Edging = SKFontEdging.Antialias, Subpixel = true };

    /// <summary>Sets every text of a ScottPlot plot to the report font.</summary>
    public static void Apply(ScottPlot.Plot plot) => plot.Font.Set(ScottPlotFamily);

    /// <summary>The family name ScottPlot knows the report font by (for text added to a plot).</summary>
    public static string ScottPlotFamily => scottPlotFamily.Value;

    static SKTypeface Load(SKFontStyle style, string file)
    {
        var byName = SKTypeface.FromFamilyName(Family, style);
        if (byName?.FamilyName == Family) return byName;
        string path = Path.Combine(Folder, file);
        return (File.Exists(path) ? SKTypeface.FromFile(path) : null) ?? byName ?? SKTypeface.Default;
    }

    // ScottPlot looks fonts up by name; when the system cannot find DejaVu by name, hand it the file.
    static string RegisterWithScottPlot()
    {
        if (SKTypeface.FromFamilyName(Family)?.FamilyName == Family) return Family;
        string path = Path.Combine(Folder, "DejaVuSans.ttf");
        if (!File.Exists(path)) return ScottPlot.Fonts.Default;
        ScottPlot.Fonts.AddFontFile(Family, path, bold: false, italic: false);
        string boldPath = Path.Combine(Folder, "DejaVuSans-Bold.ttf");
        if (File.Exists(boldPath)) ScottPlot.Fonts.AddFontFile(Family, boldPath, bold: true, italic: false);
        return Family;
    }
}
