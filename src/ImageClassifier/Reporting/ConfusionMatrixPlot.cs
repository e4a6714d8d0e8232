using System.Globalization;
using ImageClassifier.Evaluation;
using ScottPlot;

namespace ImageClassifier.Reporting;

/// <summary>
/// The confusion matrix as an annotated heatmap (ScottPlot): true classes down, predicted across,
/// each cell coloured by its share of the true class (so rows compare whatever their support) and
/// labelled with its count.
/// </summary>
public static class ConfusionMatrixPlot
{
    /// <summary>Past this many classes the cells are too small to label.</summary>
    public const int MaxAnnotatedClasses = 30;

    public static byte[] Render(ConfusionMatrix matrix, IReadOnlyList<string> classNames, int size = 900, string? title = null)
    {
        int n = matrix.ClassCount;
        if (classNames.Count != n) throw new ArgumentException($"The confusion matrix has {n} classes but {classNames.Count} names were given.");
        double[,] shares = matrix.Normalized();
        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(shares);
        // ScottPlot's Blues runs dark to light; reversed, an empty cell is white and a full one dark blue.
        heatmap.Colormap = new ScottPlot.Colormaps.Reversed(new ScottPlot.Colormaps.Blues());
        heatmap.ManualRange = new ScottPlot.Range(0, 1);
        // Cell (t, p) covers x in [p, p+1] and y in [n-1-t, n-t]: row 0 on top, as the matrix is printed.
        heatmap.Rectangle = new CoordinateRect(0, n, 0, n);
        var colorBar = plot.Add.ColorBar(heatmap);
        colorBar.Label = "share of the true class";
        colorBar.LabelStyle.FontName = ReportFonts.ScottPlotFamily;
        colorBar.Axis.TickLabelStyle.FontName = ReportFonts.ScottPlotFamily;
        colorBar.Axis.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, 6).Select(i => i / 5.0).ToArray(), Enumerable.Range(0, 6).Select(i => $"{i * 20}%").ToArray());

        if (n <= MaxAnnotatedClasses)
        {
            float fontSize = Math.Clamp(0.45f * (size - 250) / n, 7, 16);
            for (int t = 0; t < n; t++)
                for (int p = 0; p < n; p++)
                {
                    var text = plot.Add.Text(matrix[t, p].ToString(CultureInfo.InvariantCulture), p + 0.5, n - t - 0.5);
                    text.Alignment = Alignment.MiddleCenter;
                    text.LabelFontSize = fontSize;
                    text.LabelFontName = ReportFonts.ScottPlotFamily;
                    text.LabelBold = t == p;
                    // Dark cells take white text, so every count stays readable; zeros recede in grey.
                    text.LabelFontColor = shares[t, p] > 0.5 ? Colors.White : matrix[t, p] == 0 ? Colors.Gray : Colors.Black;
                }
        }

        double[] centres = Enumerable.Range(0, n).Select(i => i + 0.5).ToArray();
        PlotAxes.ClassTicksX(plot, centres, classNames, (size - 250f) / n);
        PlotAxes.ClassTicksY(plot, centres.Reverse().ToArray(), classNames);
        plot.Axes.SetLimits(0, n, 0, n);
        plot.Title(title ?? $"Confusion matrix ({matrix.Total:N0} images, {matrix.Correct / (double)Math.Max(1, matrix.Total):P1} on the diagonal)");
        plot.XLabel("predicted class");
        plot.YLabel("true class");
        plot.HideGrid();
        return Png.Plot(plot, size, size);
    }

    /// <summary>The matrix of an evaluation report.</summary>
    public static byte[] Render(EvaluationReport report, int size = 900) => Render(report.ConfusionMatrix, report.ClassNames, size);
}
