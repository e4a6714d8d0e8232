using ImageClassifier.Evaluation;
using ScottPlot;

namespace ImageClassifier.Reporting;

/// <summary>Precision, recall and F1 of each class as grouped bars (ScottPlot), from a classification report.</summary>
public static class MetricBars
{
    public static byte[] Render(ClassificationReport report, int width = 1200, int height = 520, string? title = null)
    {
        var metrics = new (string Name, Func<ClassMetrics, double> Value, Color Color)[]
        {
            ("precision", m => m.Precision, ReportColors.Blue),
            ("recall", m => m.Recall, ReportColors.Orange),
            ("F1", m => m.F1Score, ReportColors.Green),
        };
        var plot = new Plot();
        int classes = report.Classes.Count;
        const double groupWidth = 0.8;
        double barWidth = groupWidth / metrics.Length;
        var bars = new List<Bar>();
        for (int c = 0; c < classes; c++)
            for (int m = 0; m < metrics.Length; m++)
            {
                double value = metrics[m].Value(report.Classes[c]);
                bars.Add(new Bar
                {
                    Position = c - groupWidth / 2 + barWidth * (m + 0.5),
                    Value = double.IsNaN(value) ? 0 : value, // an undefined metric (zero_division=nan) draws no bar
                    Size = barWidth,
                    FillColor = metrics[m].Color,
                    LineWidth = 0,
                });
            }
        plot.Add.Bars(bars);
        foreach (var metric in metrics)
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = metric.Name, FillColor = metric.Color });
        plot.ShowLegend(Alignment.UpperRight, Orientation.Horizontal);

        PlotAxes.ClassTicksX(plot, Enumerable.Range(0, classes).Select(c => (double)c).ToArray(), report.Classes.Select(c => c.Name).ToArray(), (width - 120f) / Math.Max(1, classes));
        // Headroom above 1 keeps the legend off the bars.
        plot.Axes.SetLimits(-0.6, classes - 0.4, 0, 1.15);
        PlotAxes.UnitTicksY(plot);
        plot.YLabel("score");
        plot.Title(title ?? $"Per-class metrics (accuracy {report.Accuracy:P1}, macro F1 {report.MacroAvg.F1Score:0.000})");
        return Png.Plot(plot, width, height);
    }
}
