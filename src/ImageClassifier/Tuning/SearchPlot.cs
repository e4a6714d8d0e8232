using System.Globalization;
using ImageClassifier.Reporting;
using ScottPlot;

namespace ImageClassifier.Tuning;

/// <summary>
/// The search in pictures (ScottPlot): validation accuracy against trial number with the running best, then one panel per
/// searched parameter, validation accuracy against its value (log scale for log_uniform, one column per choice). Points
/// are coloured by the epochs the trial trained, so the rungs of successive halving stand apart.
/// </summary>
public static class SearchPlot
{
    const int Columns = 3, PanelWidth = 420, PanelHeight = 340;

    // matplotlib's tab10, which ReportColors starts.
    static readonly Color[] Palette = new[] { "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f" }.Select(Color.FromHex).ToArray();

    public static byte[] Render(IReadOnlyList<Trial> trials, SearchSpace space)
    {
        var scored = trials.Where(t => t.Scored).ToList();
        var rungs = scored.Select(t => t.Epochs).Distinct().Order().ToList();
        Color ColorOf(int epochs) => Palette[rungs.IndexOf(epochs) % Palette.Length];

        var panels = new List<Plot> { ByTrial(scored, rungs, ColorOf) };
        panels.AddRange(space.Parameters.Select(p => ByValue(p, scored, ColorOf)));
        if (scored.Count == 0) foreach (var panel in panels) panel.Add.Annotation("no finished trial yet");

        int columns = Math.Min(Columns, panels.Count), rows = (panels.Count + columns - 1) / columns;
        var multiplot = new Multiplot { Layout = new ScottPlot.MultiplotLayouts.Grid(rows, columns) };
        foreach (var panel in panels) multiplot.AddPlot(panel);
        // Multiplot starts with one empty plot of its own; the panels follow it.
        multiplot.RemovePlot(multiplot.GetPlot(0));
        foreach (var plot in multiplot.GetPlots()) ReportFonts.Apply(plot);
        return multiplot.Render(columns * PanelWidth, rows * PanelHeight).GetImageBytes(ImageFormat.Png, 100);
    }

    static Plot ByTrial(List<Trial> scored, List<int> rungs, Func<int, Color> colorOf)
    {
        var plot = Panel("Validation accuracy by trial", "trial");
        if (scored.Count > 0)
        {
            // The running best, as a step line through every trial in order.
            var ordered = scored.OrderBy(t => t.Number).ToList();
            double best = double.NegativeInfinity;
            var running = ordered.Select(t => best = Math.Max(best, t.ValAccuracy)).ToArray();
            var line = plot.Add.Scatter(ordered.Select(t => (double)t.Number).ToArray(), running, Colors.Gray);
            line.ConnectStyle = ConnectStyle.StepHorizontal;
            line.MarkerSize = 0;
            line.LineWidth = 1.5f;
            line.LegendText = "best so far";
        }
        foreach (int epochs in rungs)
        {
            var group = scored.Where(t => t.Epochs == epochs).ToList();
            var points = plot.Add.ScatterPoints(group.Select(t => (double)t.Number).ToArray(), group.Select(t => t.ValAccuracy).ToArray(), colorOf(epochs));
            points.MarkerSize = 8;
            points.LegendText = epochs == 1 ? "1 epoch" : $"{epochs} epochs";
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        if (scored.Count > 0) plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }

    static Plot ByValue(SearchParameter parameter, List<Trial> scored, Func<int, Color> colorOf)
    {
        var plot = Panel(parameter.Name, parameter.Kind == ParameterKind.LogUniform ? parameter.Name + " (log scale)" : parameter.Name);
        double X(Trial t)
        {
            var value = t.Params[parameter.Name];
            if (parameter.Kind == ParameterKind.Choice)
            {
                int index = parameter.Values.ToList().FindIndex(v => Equals(v, value));
                // Spread the points of one choice a little, the same way every time.
                return index + ((t.Number * 0.618034) % 1 - 0.5) * 0.3;
            }
            double number = value!.GetValue<double>();
            return parameter.Kind == ParameterKind.LogUniform ? Math.Log10(number) : number;
        }
        foreach (var group in scored.GroupBy(t => t.Epochs))
        {
            var points = plot.Add.ScatterPoints(group.Select(X).ToArray(), group.Select(t => t.ValAccuracy).ToArray(), colorOf(group.Key));
            points.MarkerSize = 8;
        }
        if (parameter.Kind == ParameterKind.Choice)
        {
            double[] positions = Enumerable.Range(0, parameter.Values.Count).Select(i => (double)i).ToArray();
            PlotAxes.ClassTicksX(plot, positions, parameter.Values.Select(SearchParameter.Format).ToArray(), PanelWidth * 0.8f / parameter.Values.Count);
            plot.Axes.SetLimitsX(-0.5, parameter.Values.Count - 0.5);
        }
        else if (parameter.Kind == ParameterKind.LogUniform)
        {
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
            {
                LabelFormatter = v => Math.Pow(10, v).ToString("0.##e0", CultureInfo.InvariantCulture),
            };
            if (parameter.High > parameter.Low) plot.Axes.SetLimitsX(Math.Log10(parameter.Low), Math.Log10(parameter.High));
        }
        else
        {
            // The whole range searched, so that where the points fell in it shows.
            double margin = parameter.Kind == ParameterKind.Int ? 0.5 : (parameter.High - parameter.Low) * 0.03;
            if (parameter.High > parameter.Low) plot.Axes.SetLimitsX(parameter.Low - margin, parameter.High + margin);
            if (parameter.Kind == ParameterKind.Int) plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        }
        return plot;
    }

    // Equality of JSON values the way the space wrote them (JsonNode has no value equality).
    static bool Equals(System.Text.Json.Nodes.JsonNode? a, System.Text.Json.Nodes.JsonNode? b) => System.Text.Json.Nodes.JsonNode.DeepEquals(a, b);

    static Plot Panel(string title, string xLabel)
    {
        var plot = new Plot();
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel("validation accuracy");
        return plot;
    }
}
