using System.CommandLine;
using ImageClassifier.Cli.Infrastructure;
using ImageClassifier.Evaluation;
using ImageClassifier.Reporting;
using ImageClassifier.Serialization;
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
        var modelPath = new Argument<string>("model") { Description = "The model file (or the training output folder holding model.imgclass)." };
        var data = new DataOptions("The dataset to evaluate on (default: the one the model was trained on).");
        var runtime = new RuntimeOptions();
        var split = new Option<string>("--split") { Description = "test or train.", DefaultValueFactory = _ => "test" };
        split.AcceptOnlyFromAmong("test", "train");
        var batchSize = new Option<int>("--batch-size", "-b") { Description = "Images per inference batch.", DefaultValueFactory = _ => 512 };
        var samples = new Option<int>("--samples") { Description = "Images in the sample, prediction and top-loss grids.", DefaultValueFactory = _ => 25 };
        var output = new Option<string?>("--output", "-o") { Description = "The HTML file to write (default: report.html beside the model)." };

        var command = new Command("report", "Write an HTML report of a model: data, summary and diagram, training curves, metrics, confusion matrix, predictions and top losses.") { modelPath };
        data.AddTo(command);
        runtime.AddTo(command, seed: false);
        foreach (var option in new Option[] { split, batchSize, samples, output }) command.Options.Add(option);
        command.SetRun((parse, terminal) =>
        {
            var device = runtime.Apply(parse);
            string path = parse.GetValue(modelPath)!;
            int count = parse.GetValue(samples);
            if (count < 0) throw new ArgumentException($"--samples cannot be negative ({count}).");
            using var model = ModelFile.Load(path).To(device);
            string source = parse.GetValue(data.Data!) ?? model.Training?.Dataset
                ?? throw new ArgumentException("The model does not record its dataset: give one with --data.");
            var splits = data.Load(parse, terminal, source, model.InputShape);
            var dataset = parse.GetValue(split) == "train" ? splits.Train
                : splits.Test ?? throw new ArgumentException($"Dataset '{splits.Train.Name}' has no test split: use --split train, or give a dataset with one.");
            var result = model.Evaluate(dataset, parse.GetValue(batchSize));
            string? historyPath = HistoryFile.Beside(path);

            string written = HtmlReport.Write(parse.GetValue(output) ?? DefaultPath(path), new ReportInput
            {
                Model = model, Evaluated = dataset, Result = result, SampleCount = count,
                History = historyPath is null ? null : HistoryFile.Read(historyPath),
            });
            if (parse.GetValue(runtime.Json)) terminal.WriteJson(new { report = written, dataset = dataset.Name, images = result.Count, accuracy = result.Accuracy, history = historyPath });
            else terminal.Out.WriteLine($"Wrote report: {written}");
            return 0;
        });
        return command;
    }

    /// <summary>report.html in the model's folder (or in the training output folder given).</summary>
    static string DefaultPath(string modelPath) =>
        Path.Combine(Directory.Exists(modelPath) ? modelPath : Path.GetDirectoryName(Path.GetFullPath(modelPath))!, HtmlReport.DefaultFileName);
}
