using ScottPlot;

namespace ImageClassifier.Reporting;

/// <summary>Class names as axis tick labels, shared by the plots that have one position per class.</summary>
internal static class PlotAxes
{
    public const float TickFontSize = 13;

    /// <summary>Class names under the x axis at <paramref name="positions"/>, slanted when they would not fit side by side.</summary>
    public static void ClassTicksX(Plot plot, double[] positions, IReadOnlyList<string> names, float widthPerClass)
    {
        var axis = plot.Axes.Bottom;
        axis.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, names.ToArray());
        axis.TickLabelStyle.FontSize = TickFontSize;
        float widest = Widest(names);
        if (widest + 6 <= widthPerClass) return;
        // Slanted up to the right, each name ending under its tick (as matplotlib's rotation=45, ha="right").
        axis.TickLabelStyle.Rotation = -45;
        axis.TickLabelStyle.Alignment = Alignment.UpperRight;
        // ScottPlot sizes the axis for level text; make room for the slanted names.
        axis.MinimumSize = widest * 0.72f + 36;
    }

    /// <summary>Class names beside the y axis at <paramref name="positions"/>.</summary>
    public static void ClassTicksY(Plot plot, double[] positions, IReadOnlyList<string> names)
    {
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, names.ToArray());
        plot.Axes.Left.TickLabelStyle.FontSize = TickFontSize;
    }

    /// <summary>Ticks every tenth from 0 to 1, for scores and shares.</summary>
    public static void UnitTicksY(Plot plot) =>
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, 11).Select(i => i / 10.0).ToArray(), Enumerable.Range(0, 11).Select(i => (i / 10.0).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)).ToArray());

    static float Widest(IReadOnlyList<string> names)
    {
        using var font = ReportFonts.Font(TickFontSize);
        return names.Select(n => font.MeasureText(n)).DefaultIfEmpty(0).Max();
    }
}
