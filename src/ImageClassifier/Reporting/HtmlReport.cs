using System.Globalization;
using System.Text;
using ImageClassifier.Evaluation;
using ImageClassifier.Models;
using ImageClassifier.IO;

namespace ImageClassifier.Reporting;

/// <summary>
/// One self-contained HTML file about a model: the dataset, the model's summary and diagram, its
/// training curves, metric tables, confusion matrix, predictions and top losses. The stylesheet is
/// inline, the pictures are PNG data: URIs and the diagram inline SVG, so the file opens anywhere,
/// offline, and refers to nothing on the network.
/// </summary>
public static class HtmlReport
{
    public const string DefaultFileName = "report.html";

    /// <summary>Writes the report to <paramref name="path"/> (creating its folder) and returns its full path.</summary>
    public static string Write(string path, ReportInput input)
    {
        string full = Path.GetFullPath(path);
        AtomicFile.WriteAllText(full, Render(input));
        return full;
    }

    /// <summary>The report as HTML text.</summary>
    public static string Render(ReportInput input)
    {
        if (input.Result.Count != input.Evaluated.Count)
            throw new ArgumentException($"The evaluation has {input.Result.Count} results but the dataset '{input.Evaluated.Name}' has {input.Evaluated.Count} images; they must be the same images.");
        if (input.SampleCount < 0) throw new ArgumentException($"The number of samples cannot be negative ({input.SampleCount}).");
        var evaluation = input.Evaluation ?? EvaluationReport.From(input.Result, examples: input.SampleCount);
        var model = input.Model;
        string title = input.Title ?? $"{model.Spec.Architecture} on {input.Evaluated.Name}";
        var created = input.Created ?? DateTimeOffset.Now;

        var sections = new (string Id, string Heading, string Body)[]
        {
            ("summary", "Summary", ReportSections.Summary(evaluation)),
            ("data", "Dataset", ReportSections.Dataset(input, evaluation)),
            ("model", "Model", ReportSections.Model(model)),
            ("training", "Training", ReportSections.Training(input.History, model.Training)),
            ("metrics", "Metrics", ReportSections.Metrics(evaluation)),
            ("confusion", "Confusion matrix", ReportSections.Confusion(evaluation)),
            ("predictions", "Predictions", ReportSections.Predictions(input)),
            ("top-losses", "Top losses", ReportSections.TopLosses(input.Evaluated, evaluation)),
            ("gradcam", "Grad-CAM", ReportSections.GradCam(input, evaluation)),
        };

        return Html.Page(title, $"imgclass report, made {created.ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture)}", sections);
    }
}
