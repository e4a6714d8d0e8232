using ImageClassifier.Training.Schedules;
using ScottPlot;

namespace ImageClassifier.Reporting;

/// <summary>A learning-rate sweep drawn as fastai draws it: the smoothed loss against the rate on a log scale, the suggestion marked.</summary>
public static class LearningRatePlot
{
    public static byte[] Render(LearningRateSweep sweep, int width = 800, int height = 500)
    {
        var plot = new Plot();
        plot.Title("Learning-rate finder");
        plot.XLabel("learning rate (log scale)");
        plot.YLabel("loss (smoothed)");
        double[] logRates = sweep.Rates.Select(Math.Log10).ToArray();
        var raw = plot.Add.Scatter(logRates, sweep.Losses.ToArray(), ReportColors.Blue.WithAlpha(0.3));
        raw.LegendText = "loss";
        raw.MarkerSize = 0;
        var smoothed = plot.Add.Scatter(logRates, sweep.SmoothedLosses.ToArray(), ReportColors.Blue);
        smoothed.LegendText = "smoothed";
        smoothed.LineWidth = 2;
        smoothed.MarkerSize = 0;
        var marker = plot.Add.VerticalLine(Math.Log10(sweep.Suggestion), 2, ReportColors.Orange);
        marker.LegendText = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"suggested {sweep.Suggestion:0.###e0}");
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            LabelFormatter = v => Math.Pow(10, v).ToString("0.#e0", System.Globalization.CultureInfo.InvariantCulture),
        };
        // The divergent tail would squash the useful part of the curve: show losses up to twice the first smoothed one.
        double top = Math.Min(sweep.SmoothedLosses.Where(double.IsFinite).DefaultIfEmpty(1).Max(), 2 * sweep.SmoothedLosses[0]);
        double bottom = sweep.SmoothedLosses.Where(double.IsFinite).DefaultIfEmpty(0).Min();
        plot.Axes.AutoScaleX();
        plot.Axes.SetLimitsY(bottom - 0.05 * (top - bottom), top + 0.05 * (top - bottom) + 1e-9);
        plot.ShowLegend(Alignment.UpperLeft);
        ReportFonts.Apply(plot);
        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }
}
