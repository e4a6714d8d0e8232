using SkiaSharp;

namespace ImageClassifier.Reporting;

/// <summary>The colours the pictures share: green for right, red for wrong, and the series colours.</summary>
internal static class ReportColors
{
    public static readonly SKColor Text = new(0x1F, 0x23, 0x28);
    public static readonly SKColor Right = new(0x1A, 0x7F, 0x37);
    public static readonly SKColor Wrong = new(0xCF, 0x22, 0x2E);

    // The first colours of matplotlib's tab10, which readers of training plots know.
    public static readonly ScottPlot.Color Blue = ScottPlot.Color.FromHex("#1f77b4");
    public static readonly ScottPlot.Color Orange = ScottPlot.Color.FromHex("#ff7f0e");
    public static readonly ScottPlot.Color Green = ScottPlot.Color.FromHex("#2ca02c");
    public static readonly ScottPlot.Color Purple = ScottPlot.Color.FromHex("#9467bd");
}
