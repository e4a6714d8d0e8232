using System.Globalization;
using System.Text;
using ImageClassifier.Evaluation;
using ImageClassifier.Evaluation.Explain;
using ImageClassifier.Models;
using ImageClassifier.Training;

namespace ImageClassifier.Reporting;

/// <summary>The body of each section of an <see cref="HtmlReport"/>: tables from the library's results, and the pictures.</summary>
internal static class ReportSections
{
    public static string Summary(EvaluationReport evaluation)
    {
        var cards = new (string Name, string Value)[]
        {
            ("accuracy", Html.Percent(evaluation.Accuracy)),
            ($"top-{evaluation.TopK} accuracy", Html.Percent(evaluation.TopKAccuracy)),
            ("loss (cross-entropy)", Html.Number(evaluation.Loss)),
            ("macro F1", Html.Number(evaluation.ClassificationReport.MacroAvg.F1Score)),
            ("images evaluated", Html.Count(evaluation.Images)),
            ("classes", Html.Count(evaluation.ClassNames.Count)),
        };
        var html = new StringBuilder($"<p>On <b>{Html.Escape(evaluation.Dataset)}</b>.</p><div class=\"cards\">");
        foreach (var (name, value) in cards)
            html.Append("<div class=\"card\"><div class=\"value\">").Append(Html.Escape(value)).Append("</div><div class=\"name\">").Append(Html.Escape(name)).Append("</div></div>");
        return html.Append("</div>").ToString();
    }

    public static string Dataset(ReportInput input, EvaluationReport evaluation)
    {
        var data = input.Evaluated;
        var samples = input.Samples ?? data;
        int[] counts = data.ClassCounts();
        var facts = Html.Facts(
        [
            ("evaluated on", data.Name),
            ("images", Html.Count(data.Count)),
            ("image size (height x width x channels)", data.Shape.ToString()),
            ("classes", Html.Count(data.ClassCount)),
        ]);
        var classes = Html.Table(["#", "class", "images", "share"],
            data.ClassNames.Select((name, c) => (IReadOnlyList<string>)[Html.Count(c), name, Html.Count(counts[c]), Html.Percent(counts[c] / (double)Math.Max(1, data.Count))]),
            "Images per class", new HashSet<int> { 0, 2, 3 });
        string grid = Html.Image(SampleGrid.Render(samples, input.SampleCount), $"Sample images of {samples.Name} with their classes");
        return $"<div class=\"row\"><div>{facts}{classes}</div><div>{grid}</div></div>";
    }

    public static string Model(Classifier model)
    {
        var summary = model.Summary();
        var facts = Html.Facts(
        [
            ("architecture", model.Spec.Architecture),
            ("input (height x width x channels)", model.InputShape.ToString()),
            ("classes", Html.Count(model.ClassNames.Count)),
            ("preprocessing", model.Preprocessing.ToString()),
            ("total parameters", Html.Count(summary.Total)),
            ("trainable parameters", Html.Count(summary.Trainable)),
            ("non-trainable parameters", Html.Count(summary.NonTrainable)),
        ]);
        var layers = Html.Table(["Layer (type)", "Output shape", "Param #"],
            summary.Rows.Select(r => (IReadOnlyList<string>)[$"{r.Name} ({r.Kind})", r.OutputShape, Html.Count(r.Parameters)]),
            "Layers", new HashSet<int> { 2 });
        string diagram = ModelDiagram.Of(model).ToSvg(standalone: false);
        return $"<div class=\"row\"><div>{facts}{layers}</div><div class=\"diagram\">{diagram}</div></div>";
    }

    public static string Training(History? history, TrainingSummary? training)
    {
        var html = new StringBuilder();
        if (training is not null)
            html.Append(Html.Facts(
            [
                ("dataset", training.Dataset),
                ("training images", Html.Count(training.TrainImages)),
                ("validation images", Html.Count(training.ValidationImages)),
                ("epochs", Html.Count(training.Epochs)),
                ("best epoch (weights kept)", Html.Count(training.BestEpoch)),
                ("optimizer", training.Optimizer),
                ("learning rate", Html.Number(training.LearningRate, "0.######")),
                ("batch size", Html.Count(training.BatchSize)),
                ("seed", training.Seed.ToString(CultureInfo.InvariantCulture)),
                ("training time", Html.Number(training.Seconds, "0.0") + " s"),
            ]));
        if (history is null || history.Count == 0)
            return html.Append("<p class=\"note\">No training history was found (history.json beside the model).</p>").ToString();
        html.Append(Html.Image(HistoryPlot.Render(history), "Loss, accuracy and learning rate by epoch, training against validation"));
        string[] metrics = ["loss", "accuracy", "val_loss", "val_accuracy", "lr", "seconds"];
        var logged = metrics.Where(m => history.Values(m).Any(v => !double.IsNaN(v))).ToArray();
        html.Append(Html.Table(["epoch", .. logged],
            history.Epochs.Select((e, i) => (IReadOnlyList<string>)[Html.Count(i + 1), .. logged.Select(m => e.TryGetValue(m, out double v) ? Html.Number(v, m == "lr" ? "0.######" : "0.0000") : "")]),
            "Each epoch", Enumerable.Range(0, logged.Length + 1).ToHashSet())); // every column is a number
        return html.ToString();
    }

    public static string Metrics(EvaluationReport evaluation)
    {
        var report = evaluation.ClassificationReport;
        var facts = Html.Facts(
        [
            ("loss (cross-entropy)", Html.Number(evaluation.Loss)),
            ("log loss", Html.Number(evaluation.LogLoss)),
            ("accuracy", Html.Percent(evaluation.Accuracy)),
            ($"top-{evaluation.TopK} accuracy", Html.Percent(evaluation.TopKAccuracy)),
            ("images", Html.Count(evaluation.Images)),
        ]);
        static IReadOnlyList<string> Row(string name, double p, double r, double f, int support) =>
            [name, Html.Number(p, "0.000"), Html.Number(r, "0.000"), Html.Number(f, "0.000"), Html.Count(support)];
        var rows = report.Classes.Select(c => Row(c.Name, c.Precision, c.Recall, c.F1Score, c.Support)).ToList();
        rows.Add([report.AccuracyRow, "", "", Html.Number(report.Accuracy, "0.000"), Html.Count(report.Total)]);
        rows.Add(Row("macro avg", report.MacroAvg.Precision, report.MacroAvg.Recall, report.MacroAvg.F1Score, report.MacroAvg.Support));
        rows.Add(Row("weighted avg", report.WeightedAvg.Precision, report.WeightedAvg.Recall, report.WeightedAvg.F1Score, report.WeightedAvg.Support));
        var table = Html.Table(["class", "precision", "recall", "f1-score", "support"], rows, "Classification report", new HashSet<int> { 1, 2, 3, 4 });
        var html = new StringBuilder($"<div class=\"row\"><div>{facts}</div><div>{table}</div></div>");
        foreach (var warning in report.Warnings) html.Append("<p class=\"warning\">").Append(Html.Escape(warning.Message)).Append("</p>");
        html.Append(Html.Image(MetricBars.Render(report), "Precision, recall and F1 of each class"));
        return html.ToString();
    }

    public static string Confusion(EvaluationReport evaluation)
    {
        string image = Html.Image(ConfusionMatrixPlot.Render(evaluation), "Confusion matrix: true classes down, predicted across");
        string confused = evaluation.MostConfused.Count == 0
            ? "<p class=\"note\">No class was mistaken for another.</p>"
            : Html.Table(["true class", "predicted as", "images"],
                evaluation.MostConfused.Select(p => (IReadOnlyList<string>)[p.TrueName, p.PredictedName, Html.Count(p.Count)]),
                "Most confused pairs", new HashSet<int> { 2 });
        return $"<div class=\"row\"><div>{image}</div><div>{confused}</div></div>";
    }

    public static string Predictions(ReportInput input)
    {
        var result = input.Result;
        var samples = PredictionGrid.Spread(ErrorAnalysis.Samples(result.Probabilities, result.Labels, result.Predicted, result.ClassNames), input.SampleCount);
        return "<p>Images spread evenly over the evaluated data: green where the prediction is right, red where it is wrong; Conf is the probability of the predicted class.</p>"
            + Html.Image(PredictionGrid.Render(input.Evaluated, samples), "Predictions with their true class and confidence");
    }

    public static string TopLosses(Data.ImageDataset data, EvaluationReport evaluation)
    {
        var losses = evaluation.TopLosses;
        if (losses.Count == 0) return "<p class=\"note\">The model got every image right: there are no losses to show.</p>";
        string grid = Html.Image(TopLossesGrid.Render(data, losses), "The most confidently wrong predictions");
        string table = Html.Table(["image", "true class", "predicted", "p(predicted)", "p(true)", "loss"],
            losses.Select(s => (IReadOnlyList<string>)[$"{data.Name}[{s.Index}]", s.TrueName, s.PredictedName,
                Html.Number(s.PredictedProbability, "0.000"), Html.Number(s.TrueProbability, "0.000"), Html.Number(s.Loss, "0.000")]),
            "The most confidently wrong predictions, worst first", new HashSet<int> { 3, 4, 5 });
        return $"<p>The images the model got wrong with the highest loss: predicted / true class, then loss / probability of the true class.</p>{grid}{table}";
    }

    /// <summary>Grad-CAM panels for the worst top losses: where the model looked when it went wrong.</summary>
    public static string GradCam(ReportInput input, EvaluationReport evaluation, int count = 6)
    {
        var indices = evaluation.TopLosses.Take(count).Select(s => s.Index).ToArray();
        if (indices.Length == 0) return "<p class=\"note\">No wrong predictions to explain.</p>";
        IReadOnlyList<byte[]> panels;
        try { panels = input.Model.ExplainPngs(input.Evaluated, indices); }
        catch (Models.ModelException e) { return $"<p class=\"note\">{Html.Escape(e.Message)}</p>"; } // e.g. no convolution layer
        return "<p>Grad-CAM of the predicted (wrong) class for the worst top losses, at the last convolution layer: image | heatmap | overlay.</p>"
            + string.Concat(panels.Select((png, i) => Html.Image(png, $"Grad-CAM of top loss {i + 1}")));
    }
}
