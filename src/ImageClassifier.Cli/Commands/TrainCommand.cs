using System.CommandLine;
using System.Diagnostics;
using ImageClassifier.Cli.Infrastructure;
using ImageClassifier.Data;
using ImageClassifier.Evaluation;
using ImageClassifier.Imaging;
using ImageClassifier.Models;
using ImageClassifier.Serialization;
using ImageClassifier.Training;
using ImageClassifier.Training.Callbacks;

namespace ImageClassifier.Cli.Commands;

/// <summary>
/// imgclass train: load data, split off validation, build a model, fit it with the tutorial's
/// callbacks (early stopping, reduce-LR, best-only checkpoint, history), evaluate on the test
/// split and write model, history and summary to the output folder.
/// </summary>
public static class TrainCommand
{
    public const int DefaultEpochs = 20;

    public static Command Create()
    {
        var data = new DataOptions("The dataset: fashion-mnist, mnist, cifar10, or a path (IDX folder, CIFAR-10 folder or .tar.gz, folder of class subfolders).", required: true);
        var runtime = new RuntimeOptions();
        var model = new Option<string>("--model", "-m") { Description = "Architecture: " + string.Join(", ", ModelRegistry.Entries.Select(e => e.Name)) + ".", DefaultValueFactory = _ => "tutorial-cnn" };
        var epochs = new Option<int>("--epochs", "-e") { Description = "The most epochs to train (early stopping may end sooner).", DefaultValueFactory = _ => DefaultEpochs };
        var batchSize = new Option<int>("--batch-size", "-b") { Description = "Images per training batch.", DefaultValueFactory = _ => 32 };
        var lr = new Option<double>("--lr") { Description = "Learning rate.", DefaultValueFactory = _ => 1e-3 };
        var optimizer = new Option<string>("--optimizer") { Description = "adam, adamw or sgd.", DefaultValueFactory = _ => "adam" };
        var weightDecay = new Option<double>("--weight-decay") { Description = "Weight decay (L2 for adam and sgd, decoupled for adamw)." };
        var momentum = new Option<double>("--momentum") { Description = "SGD momentum.", DefaultValueFactory = _ => 0.9 };
        var nesterov = new Option<bool>("--nesterov") { Description = "SGD with Nesterov momentum." };
        var labelSmoothing = new Option<double>("--label-smoothing") { Description = "Label smoothing for the cross-entropy loss, 0 to <1." };
        var classWeights = new Option<string?>("--class-weights") { Description = "Loss weight per class: 'balanced' (as scikit-learn computes it) or a comma-separated list." };
        var normalize = new Option<bool>("--normalize") { Description = "Standardise each channel with the training set's mean and std (else pixels are only scaled to [0,1])." };
        var validationSplit = new Option<double>("--validation-split") { Description = "Fraction of the training images held out (stratified) for validation.", DefaultValueFactory = _ => 0.1 };
        var patience = new Option<int>("--patience") { Description = "Early stopping: epochs without val_loss improvement before stopping (best weights are restored).", DefaultValueFactory = _ => 5 };
        var reduceFactor = new Option<double>("--reduce-lr-factor") { Description = "Reduce-LR-on-plateau: factor applied to the learning rate.", DefaultValueFactory = _ => 0.2 };
        var reducePatience = new Option<int>("--reduce-lr-patience") { Description = "Reduce-LR-on-plateau: epochs without improvement before reducing.", DefaultValueFactory = _ => 3 };
        var minLr = new Option<double>("--min-lr") { Description = "Reduce-LR-on-plateau: the lowest learning rate.", DefaultValueFactory = _ => 1e-6 };
        var output = new Option<string?>("--output", "-o") { Description = "Output folder for model.imgclass, history.csv/json and summary.json (default out/<dataset>)." };
        var feed = new FeedOptions();

        var command = new Command("train", "Train a model on a dataset and write it, its history and a summary to a folder.");
        data.AddTo(command);
        runtime.AddTo(command);
        foreach (var option in new Option[] { model, epochs, batchSize, lr, optimizer, weightDecay, momentum, nesterov, labelSmoothing, classWeights, normalize, validationSplit, patience, reduceFactor, reducePatience, minLr, output })
            command.Options.Add(option);
        feed.AddTo(command, streaming: true);

        command.SetRun((parse, terminal) =>
        {
            var clock = Stopwatch.StartNew();
            var device = runtime.Apply(parse);
            bool json = parse.GetValue(runtime.Json);
            var log = json ? terminal.Error : terminal.Out; // with --json, stdout holds only the result
            int seed = parse.GetValue(runtime.Seed);

            string source = parse.GetValue(data.Data!)!;
            using var loaded = TrainingData.Load(parse, terminal, data, feed, parse.GetValue(validationSplit), seed, log);
            var (train, validation, testSet) = (loaded.Train, loaded.Validation, loaded.Test);
            int classCount = train.ClassNames.Count;
            log.WriteLine($"Data: {loaded.Name}: {train.Count:N0} training, {validation?.Count ?? 0:N0} validation, {testSet?.Count ?? 0:N0} test images of {train.Shape}, {classCount} classes");

            var options = new TrainingOptions
            {
                Epochs = parse.GetValue(epochs), BatchSize = parse.GetValue(batchSize), LearningRate = parse.GetValue(lr),
                Optimizer = parse.GetValue(optimizer)!, WeightDecay = parse.GetValue(weightDecay), Momentum = parse.GetValue(momentum),
                Nesterov = parse.GetValue(nesterov), LabelSmoothing = parse.GetValue(labelSmoothing), Seed = seed,
                ClassWeights = ParseClassWeights(parse.GetValue(classWeights), train.Labels, classCount),
                Augmentation = feed.Augmentation(parse, train.Labels, classCount, log),
                Sampler = feed.Sampler(parse, train.Labels, seed),
            };
            if (options.Augmentation is not null) log.WriteLine($"Augmentation: {options.Augmentation}");
            if (options.Sampler is not null) log.WriteLine("Oversampling: every class drawn equally often (with replacement)");
            options.Validate();
            string folder = parse.GetValue(output) ?? Path.Combine("out", SafeName(loaded.Name));
            Directory.CreateDirectory(folder);
            string modelPath = Path.Combine(folder, "model" + ModelFile.Extension);

            var preprocessing = parse.GetValue(normalize) ? Preprocessing.Standardize(loaded.StatisticsImages()) : Preprocessing.UnitRange;
            using var classifier = Classifier.Create(parse.GetValue(model)!, train.Shape, train.ClassNames, preprocessing).To(device);
            log.WriteLine(classifier.Summary().ToText(classifier.Spec.Architecture));

            string monitor = validation is null ? "loss" : "val_loss";
            var stopper = new EarlyStopping(monitor, parse.GetValue(patience), restoreBestWeights: true);
            var history = classifier.Fit(train, validation, options,
                new TerminateOnNaN(),
                stopper,
                new ReduceLROnPlateau(monitor, parse.GetValue(reduceFactor), parse.GetValue(reducePatience), parse.GetValue(minLr)),
                new ModelCheckpoint(modelPath, monitor, saveBestOnly: true),
                new HistoryLogger(Path.Combine(folder, "history.csv"), Path.Combine(folder, "history.json")),
                new ProgressLogger(log, interactive: !json && ReferenceEquals(log, System.Console.Out) && !System.Console.IsOutputRedirected));
            if (history.Count == 0) throw new ModelException("Training stopped before finishing an epoch.");

            EvaluationResult? test = testSet is { Count: > 0 } ? classifier.Evaluate(testSet) : null;
            var best = history.Epochs[Math.Max(stopper.BestEpoch, 1) - 1];
            // The source as given (a path made absolute), so that evaluate can find the data again.
            string recorded = File.Exists(source) || Directory.Exists(source) ? Path.GetFullPath(source) : source;
            classifier.Training = new TrainingSummary(recorded, train.Count, validation?.Count ?? 0, history.Count,
                stopper.BestEpoch, options.Optimizer, options.LearningRate, options.BatchSize, seed, clock.Elapsed.TotalSeconds,
                best.ToDictionary(kv => kv.Key, kv => kv.Value), test?.Accuracy, test?.Loss);
            classifier.Save(modelPath);

            var result = new TrainResult(loaded.Name, classifier.Spec.Architecture, history.Count, stopper.BestEpoch,
                train.Count, validation?.Count ?? 0, best.GetValueOrDefault("val_accuracy", double.NaN), test?.Accuracy, test?.Loss,
                Math.Round(clock.Elapsed.TotalSeconds, 1), Path.GetFullPath(folder), Path.GetFullPath(modelPath));
            File.WriteAllText(Path.Combine(folder, "summary.json"), System.Text.Json.JsonSerializer.Serialize(result, Json.Options));
            if (json) terminal.WriteJson(result);
            else
            {
                if (test is not null) terminal.Out.WriteLine($"Test: accuracy {test.Accuracy:P2}, loss {test.Loss:0.0000} on {test.Count:N0} images");
                terminal.Out.WriteLine($"Wrote {modelPath}, history.csv, history.json and summary.json to {folder} ({clock.Elapsed.TotalSeconds:0}s in all)");
            }
            return 0;
        });
        return command;
    }

    public sealed record TrainResult(string Dataset, string Model, int Epochs, int BestEpoch, int TrainImages, int ValidationImages,
        double ValAccuracy, double? TestAccuracy, double? TestLoss, double Seconds, string Output, string ModelFile);

    internal static float[]? ParseClassWeights(string? value, IReadOnlyList<int> labels, int classCount)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (value.Equals("balanced", StringComparison.OrdinalIgnoreCase)) return ClassWeights.Balanced(labels, classCount);
        var parts = value.Split(',');
        if (parts.Length != classCount || !parts.All(p => float.TryParse(p, System.Globalization.CultureInfo.InvariantCulture, out float w) && w >= 0))
            throw new ArgumentException($"--class-weights needs 'balanced' or {classCount} non-negative numbers separated by commas, not '{value}'.");
        return parts.Select(p => float.Parse(p, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
    }

    static string SafeName(string name) => string.Concat(name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '-')).Trim('-') is { Length: > 0 } s ? s : "dataset";
}
