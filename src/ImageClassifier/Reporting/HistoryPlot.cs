using ImageClassifier.Training;
using ScottPlot;

namespace ImageClassifier.Reporting;

/// <summary>
/// Training curves with ScottPlot, three panels side by side: loss and accuracy (training against
/// validation) and the learning rate on its own panel, each by epoch.
/// </summary>
public static class HistoryPlot
{
    public static byte[] Render(History history, int width = 1200, int height = 400)
    {
        double[] epochs = Enumerable.Range(1, history.Count).Select(e => (double)e).ToArray();
        var multiplot = new Multiplot { Layout = new ScottPlot.MultiplotLayouts.Columns() };
        multiplot.AddPlot(Panel(history, epochs, "Loss", "loss", Alignment.UpperRight, ("loss", "training", ReportColors.Blue), ("val_loss", "validation", ReportColors.Orange)));
        multiplot.AddPlot(Panel(history, epochs, "Accuracy", "accuracy", Alignment.LowerRight, ("accuracy", "training", ReportColors.Blue), ("val_accuracy", "validation", ReportColors.Orange)));
        var lr = Panel(history, epochs, "Learning rate", "learning rate", Alignment.UpperRight, ("lr", "learning rate", ReportColors.Green));
        lr.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = v => v == 0 ? "0" : v.ToString("0.##e0", System.Globalization.CultureInfo.InvariantCulture) };
        lr.HideLegend();
        // A constant rate would get ScottPlot's default span of -1 to 1 around it, with the line at "0".
        double[] rates = history.Values("lr").Where(v => !double.IsNaN(v)).ToArray();
        if (rates.Length > 0 && rates.Min() == rates.Max())
        {
            lr.Axes.AutoScaleX();
            lr.Axes.SetLimitsY(0, 2 * Math.Max(rates[0], 1e-12));
        }
        multiplot.AddPlot(lr);
        // Multiplot starts with one empty plot of its own; the three panels follow it.
        multiplot.RemovePlot(multiplot.GetPlot(0));
        foreach (var plot in multiplot.GetPlots()) ReportFonts.Apply(plot);
        return multiplot.Render(width, height).GetImageBytes(ImageFormat.Png, 100);
    }

    /// <summary>The curves of history.json (as <see cref="Callbacks.HistoryLogger"/> writes it).</summary>
    public static byte[] Render(string historyJson, int width = 1200, int height = 400) =>
        Render(HistoryFile.Read(historyJson), width, height);

    static Plot Panel(History history, double[] epochs, string title, string yLabel, Alignment legend, params (string Metric, string Label, Color Color)[] series)
    {
        var plot = new Plot();
        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel(yLabel);
        bool any = false;
        foreach (var (metric, label, color) in series)
        {
            double[] values = history.Values(metric);
            if (values.All(double.IsNaN)) continue;
            var line = plot.Add.Scatter(epochs, values, color);
            line.LegendText = label;
            line.LineWidth = 2;
            line.MarkerSize = 7;
            any = true;
        }
        if (!any) plot.Add.Annotation($"{title}: not logged");
        // Whole epochs only: a run of a few epochs would otherwise get ticks at 1.5, 2.5, ...
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        // Loss falls and accuracy rises: their legends go where the curves usually are not.
        plot.ShowLegend(legend);
        return plot;
    }
}
