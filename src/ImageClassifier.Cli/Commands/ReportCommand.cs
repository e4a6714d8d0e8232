using System.CommandLine;
using ImageClassifier.Cli.Infrastructure;
using ImageClassifier.Evaluation;
using ImageClassifier.Reporting;
using ImageClassifier.Training;

namespace ImageClassifier.Cli.Commands;

/// <summary>
/// imgclass report: evaluates a saved model (as evaluate does) and writes one self-contained HTML
/// report of the data, the model, its training history (history.json beside the model) and results.
/// </summary>
public static class ReportCommand
{
    public static Command Create()
    {
        var inputs = new EvaluationInputs();
        var samples = new Option<int>("--samples") { Description = "Images in the sample, prediction and top-loss grids.", DefaultValueFactory = _ => 25 };
        var output = new Option<string?>("--output", "-o") { Description = "The HTML file to write (default: report.html beside the model)." };

        var command = new Command("report", "Write an HTML report of a model: data, summary and diagram, training curves, metrics, confusion matrix, predictions and top losses.");
        inputs.AddTo(command);
        foreach (var option in new Option[] { samples, output }) command.Options.Add(option);
        command.SetRun((parse, terminal) =>
        {
            string path = parse.GetValue(inputs.ModelPath)!;
            int count = parse.GetValue(samples);
            if (count < 0) throw new ArgumentException($"--samples cannot be negative ({count}).");
            var (model, dataset) = inputs.Load(parse, terminal);
            using var _ = model;
            var result = model.Evaluate(dataset, parse.GetValue(inputs.BatchSize));
            string? historyPath = HistoryFile.Beside(path);

            string written = HtmlReport.Write(parse.GetValue(output) ?? DefaultPath(path), new ReportInput
            {
                Model = model, Evaluated = dataset, Result = result, SampleCount = count,
                History = historyPath is null ? null : HistoryFile.Read(historyPath),
            });
            if (parse.GetValue(inputs.Runtime.Json)) terminal.WriteJson(new { report = written, dataset = dataset.Name, images = result.Count, accuracy = result.Accuracy, history = historyPath });
            else terminal.Out.WriteLine($"Wrote report: {written}");
            return 0;
        });
        return command;
    }

    /// <summary>report.html in the model's folder (or in the training output folder given).</summary>
    static string DefaultPath(string modelPath) =>
        Path.Combine(Directory.Exists(modelPath) ? modelPath : Path.GetDirectoryName(Path.GetFullPath(modelPath))!, HtmlReport.DefaultFileName);
}
