using System.CommandLine;
using System.Globalization;
using ImageClassifier.Cli.Infrastructure;
using ImageClassifier.Evaluation;
using ImageClassifier.IO;
using ImageClassifier.Serialization;
using Spectre.Console;

namespace ImageClassifier.Cli.Commands;

/// <summary>imgclass predict: top-k classes for image files, folders, or a dataset's test split.</summary>
public static class PredictCommand
{
    public static Command Create()
    {
        var modelPath = new Argument<string>("model") { Description = "The model file (or the training output folder holding model.imgclass)." };
        var inputs = new Argument<string[]>("inputs") { Description = "Image files or folders (searched recursively).", Arity = ArgumentArity.ZeroOrMore };
        var data = new DataOptions("Predict a dataset's test split instead of files (a name or path).");
        var runtime = new RuntimeOptions();
        var top = new Option<int>("--top", "-k") { Description = "How many classes to show per image.", DefaultValueFactory = _ => 3 };
        var format = new Option<string>("--format") { Description = "table, json or csv.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json", "csv");
        var tta = TtaOption.Create();

        var command = new Command("predict", "Predict the classes of images with a trained model.") { modelPath, inputs };
        data.AddTo(command);
        runtime.AddTo(command, seed: false);
        command.Options.Add(top);
        command.Options.Add(format);
        command.Options.Add(tta);
        command.SetRun((parse, terminal) =>
        {
            int k = parse.GetValue(top);
            if (k < 1) throw new ArgumentException($"--top must be at least 1, not {k}.");
            var device = runtime.Apply(parse);
            using var model = ModelFile.Load(parse.GetValue(modelPath)!).To(device);
            string[] paths = parse.GetValue(inputs) ?? [];
            string? dataset = parse.GetValue(data.Data!);
            if (paths.Length == 0 && dataset is null)
                throw new ArgumentException("Give image files or folders to predict, or a dataset with --data.");
            var augmentation = TtaOption.Parse(parse, tta);
            IReadOnlyList<Prediction> predictions;
            if (dataset is not null)
            {
                var splits = data.Load(parse, terminal, dataset, model.InputShape);
                predictions = model.Predict(splits.Test ?? splits.Train, k, tta: augmentation);
            }
            else
            {
                var (found, skipped) = model.PredictFiles(paths, k, parse.GetValue(data.Strict), tta: augmentation);
                foreach (var file in skipped) terminal.Error.WriteLine($"warning: skipped {file.Path}: {file.Reason}");
                if (found.Count == 0) throw new ArgumentException("None of the inputs is an image the model could read.");
                predictions = found;
            }
            string chosen = parse.GetValue(runtime.Json) ? "json" : parse.GetValue(format)!;
            Write(predictions, chosen, terminal);
            return 0;
        });
        return command;
    }

    static void Write(IReadOnlyList<Prediction> predictions, string format, Terminal terminal)
    {
        switch (format)
        {
            case "json":
                terminal.WriteJson(predictions.Select(p => new
                {
                    source = p.Source, predicted = p.Best.Name, probability = p.Best.Probability, true_class = p.TrueClass, note = p.Note,
                    top = p.Top.Select(s => new { @class = s.Name, index = s.Index, probability = s.Probability }),
                }));
                break;
            case "csv":
                int k = predictions[0].Top.Count;
                terminal.Out.WriteLine(Csv.Line(Enumerable.Range(1, k).SelectMany(i => new[] { $"class_{i}", $"probability_{i}" })
                    .Prepend("true_class").Prepend("source").Append("note")));
                foreach (var p in predictions)
                    terminal.Out.WriteLine(Csv.Line(p.Top.SelectMany(s => new[] { s.Name, s.Probability.ToString("0.######", CultureInfo.InvariantCulture) })
                        .Prepend(p.TrueClass ?? "").Prepend(p.Source).Append(p.Note ?? "")));
                break;
            default:
                var table = new Table().AddColumns("Image", "Prediction", "Probability", "Top classes");
                bool hasTruth = predictions.Any(p => p.TrueClass is not null);
                if (hasTruth) table.AddColumn("True class");
                foreach (var p in predictions)
                {
                    var cells = new List<string> { Markup.Escape(p.Source + (p.Note is null ? "" : $" ({p.Note})")), Markup.Escape(p.Best.Name), $"{p.Best.Probability:P1}",
                        Markup.Escape(string.Join(", ", p.Top.Select(s => $"{s.Name} {s.Probability:P1}"))) };
                    if (hasTruth) cells.Add(Markup.Escape(p.TrueClass ?? ""));
                    table.AddRow(cells.ToArray());
                }
                terminal.Render(table);
                break;
        }
    }
}
