using System.CommandLine;
using ImageClassifier.Cli.Infrastructure;
using ImageClassifier.Evaluation;
using ImageClassifier.Evaluation.Sharding;
using Spectre.Console;

namespace ImageClassifier.Cli.Commands;

/// <summary>
/// imgclass predict: top-k classes for image files, folders, or a dataset's test split, with a model file (TorchSharp)
/// or an exported .onnx model (ONNX Runtime). With --output, predictions stream into a CSV file, resumably, and
/// --shard i/N predicts one of N disjoint parts of the images (one process per part, on as many machines).
/// </summary>
public static class PredictCommand
{
    public static Command Create()
    {
        var modelPath = new Argument<string>("model") { Description = "The model file (or the training output folder holding model.imgclass), or an exported .onnx model." };
        var inputs = new Argument<string[]>("inputs") { Description = "Image files or folders (searched recursively).", Arity = ArgumentArity.ZeroOrMore };
        var data = new DataOptions("Predict a dataset's test split instead of files (a name or path).");
        var runtime = new RuntimeOptions();
        var top = new Option<int>("--top", "-k") { Description = "How many classes to show per image.", DefaultValueFactory = _ => 3 };
        var format = new Option<string>("--format") { Description = "table, json or csv.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json", "csv");
        var tta = TtaOption.Create();
        var precision = PrecisionOption.Create();
        var output = new Option<string?>("--output", "-o") { Description = "Write predictions of files and folders to this CSV file as they are made; a rerun skips the images already in it." };
        var shard = new Option<string?>("--shard") { Description = "i/N: predict only shard i (0 to N-1) of N disjoint parts of the images (needs --output)." };
        var batchSize = new Option<int>("--batch-size", "-b") { Description = "Images per inference batch with --output.", DefaultValueFactory = _ => 64 };

        var command = new Command("predict", "Predict the classes of images with a trained model.") { modelPath, inputs };
        data.AddTo(command);
        runtime.AddTo(command, seed: false);
        command.Options.Add(top);
        command.Options.Add(format);
        command.Options.Add(tta);
        command.Options.Add(output);
        command.Options.Add(shard);
        command.Options.Add(batchSize);
        command.Options.Add(precision);
        command.SetRun((parse, terminal) =>
        {
            int k = parse.GetValue(top);
            if (k < 1) throw new ArgumentException($"--top must be at least 1, not {k}.");
            string[] paths = parse.GetValue(inputs) ?? [];
            string? dataset = parse.GetValue(data.Data!);
            if (paths.Length == 0 && dataset is null)
                throw new ArgumentException("Give image files or folders to predict, or a dataset with --data.");
            string? csv = parse.GetValue(output);
            var part = parse.GetValue(shard) is string text ? Shard.Parse(text) : null;
            if (part is not null && csv is null) throw new ArgumentException("--shard needs --output: each shard writes its own CSV file.");
            if (csv is not null && (dataset is not null || paths.Length == 0)) throw new ArgumentException("--output takes image files and folders, not --data.");
            int batch = parse.GetValue(batchSize);
            if (batch < 1) throw new ArgumentException($"--batch-size must be at least 1, not {batch}.");
            var augmentation = TtaOption.Parse(parse, tta);
            using var model = runtime.OpenModel(parse, parse.GetValue(modelPath)!);
            using var policy = Engine.ComputePrecision.Use(parse.GetValue(precision));
            if (csv is not null) return PredictToFile(model, paths, csv, part ?? Shard.All, k, batch, augmentation, parse.GetValue(data.Strict), terminal);
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

    /// <summary>Streams one shard's predictions into a CSV file, with progress (images/s) on stderr every few seconds and a final line.</summary>
    static int PredictToFile(ImageClassifier.Models.IImageClassifier model, string[] paths, string csv, Shard shard, int k, int batch,
        TestTimeAugmentation? augmentation, bool strict, Terminal terminal)
    {
        string label = shard.Count == 1 ? "predict" : $"shard {shard}";
        var lastReport = DateTime.MinValue;
        void Report(ShardProgress p, bool final = false)
        {
            if (!final && DateTime.UtcNow - lastReport < TimeSpan.FromSeconds(2)) return;
            lastReport = DateTime.UtcNow;
            terminal.Error.WriteLine($"{label}: {p.Done:N0}/{p.Total:N0} images" +
                (p.AlreadyDone > 0 ? $" ({p.AlreadyDone:N0} already in {csv})" : "") +
                (p.Unreadable > 0 ? $", {p.Unreadable:N0} unreadable" : "") + $", {p.ImagesPerSecond:N1} images/s");
        }
        var result = ShardedPrediction.Run(model, paths, csv, shard, k, batch, augmentation, p => Report(p), strict);
        Report(result, final: true);
        terminal.Out.WriteLine($"{label}: wrote {result.Predicted:N0} predictions to {csv} ({result.AlreadyDone:N0} were there already, {result.Total:N0} images in the shard) " +
            $"in {result.Seconds:N1} s, {result.ImagesPerSecond:N1} images/s");
        return 0;
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
                terminal.Out.WriteLine(PredictionCsv.Header(k));
                foreach (var p in predictions) terminal.Out.WriteLine(PredictionCsv.Row(p, k));
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
