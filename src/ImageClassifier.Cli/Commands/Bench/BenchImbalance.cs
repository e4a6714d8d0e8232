using System.CommandLine;
using ImageClassifier.Cli.Infrastructure;
using ImageClassifier.Data;
using ImageClassifier.Data.Loading;
using ImageClassifier.Evaluation;
using ImageClassifier.Models;
using ImageClassifier.Training;
using Spectre.Console;

namespace ImageClassifier.Cli.Commands.Bench;

/// <summary>
/// imgclass bench imbalance: one class cut to a small share of its training images, then trained three ways
/// (no handling, balanced class weights, oversampling) from the same initial weights; reports that class's
/// recall (and precision) on the full, balanced test split, with overall accuracy and macro F1.
/// </summary>
public static class BenchImbalance
{
    public static Command Create()
    {
        var data = new DataOptions("The dataset (default fashion-mnist).");
        var runtime = new RuntimeOptions();
        var rare = new Option<int>("--class") { Description = "The class index to cut.", DefaultValueFactory = _ => 0 };
        var keep = new Option<double>("--keep") { Description = "The share of that class's training images kept.", DefaultValueFactory = _ => 0.05 };
        var trainCount = new Option<int>("--train") { Description = "Training images taken (the first N) before cutting.", DefaultValueFactory = _ => 12000 };
        var model = new Option<string>("--model", "-m") { Description = "Architecture.", DefaultValueFactory = _ => "tutorial-cnn" };
        var epochs = new Option<int>("--epochs") { Description = "Epochs per run.", DefaultValueFactory = _ => 5 };
        var batchSize = new Option<int>("--batch-size", "-b") { Description = "Images per batch.", DefaultValueFactory = _ => 32 };

        var command = new Command("imbalance", "Recall of a class cut to a few images: no handling vs class weights vs oversampling.");
        data.AddTo(command);
        runtime.AddTo(command);
        foreach (var option in new Option[] { rare, keep, trainCount, model, epochs, batchSize }) command.Options.Add(option);
        command.SetRun((parse, terminal) =>
        {
            var device = runtime.Apply(parse);
            bool json = parse.GetValue(runtime.Json);
            var log = json ? terminal.Error : terminal.Out;
            int seed = parse.GetValue(runtime.Seed), c = parse.GetValue(rare);
            var splits = data.Load(parse, terminal, parse.GetValue(data.Data!) ?? "fashion-mnist");
            var test = splits.Test ?? throw new ArgumentException("The dataset needs a test split to measure recall on.");
            if (c < 0 || c >= splits.Train.ClassCount) throw new ArgumentException($"--class must be 0 to {splits.Train.ClassCount - 1}, not {c}.");
            var train = Cut(splits.Train.Take(parse.GetValue(trainCount)), c, parse.GetValue(keep));
            var counts = train.ClassCounts();
            log.WriteLine($"{train.Name}: {train.Count:N0} images; class {c} ({train.ClassNames[c]}) cut to {counts[c]} (largest class {counts.Max()}); test: {test.Count:N0}");

            var baseOptions = new TrainingOptions { Epochs = parse.GetValue(epochs), BatchSize = parse.GetValue(batchSize), Seed = seed };
            var variants = new (string Name, TrainingOptions Options)[]
            {
                ("none", baseOptions),
                ("class weights (balanced)", baseOptions with { ClassWeights = ClassWeights.Balanced(train) }),
                ("oversampling", baseOptions with { Sampler = WeightedSampler.ForBalancedClasses(train.Labels, seed) }),
            };
            var rows = new List<Row>();
            foreach (var (name, options) in variants)
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                TorchSharp.torch.manual_seed(seed);
                using var classifier = Classifier.Create(parse.GetValue(model)!, train.Shape, train.ClassNames).To(device);
                classifier.Fit(train, options: options);
                var result = classifier.Evaluate(test);
                var report = ClassificationReport.Compute(result.Labels, result.Predicted, test.ClassNames, ZeroDivision.Zero);
                var row = new Row(name, report.Classes[c].Recall, report.Classes[c].Precision, result.Accuracy, report.MacroAvg.F1Score, Math.Round(clock.Elapsed.TotalSeconds, 1));
                rows.Add(row);
                log.WriteLine($"{name}: recall of {train.ClassNames[c]} {row.Recall:P1}, precision {row.Precision:P1}, accuracy {row.Accuracy:P2}, macro F1 {row.MacroF1:0.0000} ({row.Seconds}s)");
            }
            if (json)
            {
                terminal.WriteJson(new { dataset = train.Name, @class = c, class_name = train.ClassNames[c], kept = counts[c], train_images = train.Count, epochs = baseOptions.Epochs, seed, results = rows });
                return 0;
            }
            var table = new Table().AddColumns("Handling", $"Recall ({Markup.Escape(train.ClassNames[c])})", "Precision", "Accuracy", "Macro F1", "Seconds");
            foreach (var r in rows) table.AddRow(Markup.Escape(r.Handling), $"{r.Recall:P1}", $"{r.Precision:P1}", $"{r.Accuracy:P2}", $"{r.MacroF1:0.0000}", $"{r.Seconds}");
            terminal.Render(table);
            return 0;
        });
        return command;
    }

    public sealed record Row(string Handling, double Recall, double Precision, double Accuracy, double MacroF1, double Seconds);

    // Keeps the first round(n * keep) images of class c (at least one), and every image of the others.
    static ImageDataset Cut(ImageDataset data, int c, double keep)
    {
        if (keep is <= 0 or > 1) throw new ArgumentException($"--keep must be in (0, 1], not {keep}.");
        int n = data.ClassCounts()[c], kept = Math.Max(1, (int)Math.Round(n * keep)), seen = 0;
        var indices = Enumerable.Range(0, data.Count).Where(i => data.Labels[i] != c || seen++ < kept).ToArray();
        return data.Subset(indices, $"{data.Name} ({data.ClassNames[c]} cut to {keep:P0})");
    }
}
