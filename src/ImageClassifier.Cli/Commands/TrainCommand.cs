using System.CommandLine;
using System.Diagnostics;
using ImageClassifier.Cli.Infrastructure;
using ImageClassifier.Data;
using ImageClassifier.Data.Loading;
using ImageClassifier.Evaluation;
using ImageClassifier.Imaging;
using ImageClassifier.Models;
using ImageClassifier.Reporting;
using ImageClassifier.Serialization;
using ImageClassifier.Training;
using ImageClassifier.Training.Callbacks;

namespace ImageClassifier.Cli.Commands;

/// <summary>
/// imgclass train: load data, split off validation, build a model, fit it with the tutorial's
/// callbacks (early stopping, reduce-LR, best-only checkpoint, history), evaluate on the test
/// split and write model, history and summary to the output folder. With --pretrained or
/// --weights: transfer learning in two stages (FineTuning.Train): the head on the frozen base
/// (history.csv), then fine-tuning (fine-tune-history.csv); summary.json records both stages.
/// </summary>
public static class TrainCommand
{
    public const int DefaultEpochs = 20;

    public static Command Create()
    {
        var data = new DataOptions("The dataset: fashion-mnist, mnist, cifar10, or a path (IDX folder, CIFAR-10 folder or .tar.gz, folder of class subfolders).", required: true);
        var runtime = new RuntimeOptions();
        var transfer = new TransferOptions();
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
        // val_accuracy by default: on Fashion-MNIST, val_loss turns up (over-confidence) epochs before
        // accuracy stops improving, so watching it stopped runs early (90.6% test against 91.4%).
        var monitor = new Option<string>("--monitor") { Description = "The validation metric early stopping, reduce-LR and the checkpoint watch: val_accuracy or val_loss (without validation data, the training one).", DefaultValueFactory = _ => "val_accuracy" };
        monitor.AcceptOnlyFromAmong("val_loss", "val_accuracy");
        var output = new Option<string?>("--output", "-o") { Description = "Output folder for model.imgclass, history.csv/json, summary.json and report.html (default out/<dataset>)." };
        var feed = new FeedOptions();
        var noReport = new Option<bool>("--no-report") { Description = "Do not write report.html (the HTML report of the trained model)." };

        var command = new Command("train", "Train a model on a dataset and write it, its history and a summary to a folder.");
        data.AddTo(command);
        runtime.AddTo(command);
        transfer.AddTo(command);
        foreach (var option in new Option[] { model, epochs, batchSize, lr, optimizer, weightDecay, momentum, nesterov, labelSmoothing, classWeights, normalize, validationSplit, monitor, patience, reduceFactor, reducePatience, minLr, output, noReport })
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
            bool transferring = transfer.IsTransfer(parse);
            var inputSize = transferring ? transfer.InputSize(parse, data.ImageSizeValue(parse)) : default;
            // Pretrained models take colour images of their input size: folders are read at that size.
            using var loaded = TrainingData.Load(parse, terminal, data, feed, parse.GetValue(validationSplit), seed, log,
                transferring ? new ImageShape(3, inputSize.Height, inputSize.Width) : null);
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
            var stages = transferring ? transfer.Stages(parse, options.Epochs) : null;
            stages?.Validate();
            if (transferring && parse.GetValue(normalize))
                throw new ArgumentException("--normalize does not apply with --pretrained or --weights: the weights fix the preprocessing.");
            string folder = parse.GetValue(output) ?? Path.Combine("out", SafeName(loaded.Name));
            Directory.CreateDirectory(folder);
            string modelPath = Path.Combine(folder, "model" + ModelFile.Extension);

            var preprocessing = parse.GetValue(normalize) ? ChannelStatistics.Of(loaded.StatisticsImages()).Standardization() : Preprocessing.UnitRange;
            using var classifier = (transferring
                ? transfer.Create(parse, parse.GetValue(model)!, train.ClassNames, inputSize)
                : Classifier.Create(parse.GetValue(model)!, train.Shape, train.ClassNames, preprocessing)).To(device);
            log.WriteLine(classifier.Summary().ToText(classifier.Spec.Architecture));
            if (transferring) log.WriteLine($"Preprocessing: {classifier.Preprocessing}");

            string watched = validation is null ? parse.GetValue(monitor)!.Replace("val_", "") : parse.GetValue(monitor)!;
            EarlyStopping stopper = null!;
            IEnumerable<Callback> CallbacksFor(string stage)
            {
                string prefix = stage == "fine-tune" ? "fine-tune-" : "";
                stopper = new EarlyStopping(watched, parse.GetValue(patience), restoreBestWeights: true);
                return
                [
                    new TerminateOnNaN(),
                    stopper,
                    new ReduceLROnPlateau(watched, parse.GetValue(reduceFactor), parse.GetValue(reducePatience), parse.GetValue(minLr)),
                    new ModelCheckpoint(modelPath, watched, saveBestOnly: true),
                    new HistoryLogger(Path.Combine(folder, prefix + "history.csv"), Path.Combine(folder, prefix + "history.json")),
                    new ProgressLogger(log, interactive: !json && ReferenceEquals(log, System.Console.Out) && !System.Console.IsOutputRedirected),
                ];
            }
            IReadOnlyList<StageResult>? stageResults = null;
            History history;
            if (stages is not null)
            {
                // Transfer stages (feature caching, fine-tuning) work on images held in memory.
                var images = (train as InMemoryBatchSource)?.Dataset
                    ?? throw new ArgumentException("--stream cannot be combined with --pretrained or --weights: leave out --stream.");
                stageResults = FineTuning.Train(classifier, images, validation, options, stages, CallbacksFor, log.WriteLine);
                history = stageResults[^1].History;
                log.WriteLine(classifier.Summary().ToText(classifier.Spec.Architecture));
            }
            else history = classifier.Fit(train, validation, options, CallbacksFor("train"));
            if (history.Count == 0) throw new ModelException("Training stopped before finishing an epoch.");

            EvaluationResult? test = testSet is { Count: > 0 } ? classifier.Evaluate(testSet) : null;
            var best = history.Epochs[Math.Max(stopper.BestEpoch, 1) - 1];
            // The source as given (a path made absolute), so that evaluate can find the data again.
            string recorded = File.Exists(source) || Directory.Exists(source) ? Path.GetFullPath(source) : source;
            int allEpochs = stageResults?.Sum(r => r.History.Count) ?? history.Count;
            classifier.Training = new TrainingSummary(recorded, train.Count, validation?.Count ?? 0, allEpochs,
                stopper.BestEpoch, options.Optimizer, options.LearningRate, options.BatchSize, seed, clock.Elapsed.TotalSeconds,
                best.ToDictionary(kv => kv.Key, kv => kv.Value), test?.Accuracy, test?.Loss);
            classifier.Save(modelPath);

            string? report = null;
            if (!parse.GetValue(noReport))
            {
                // The report shows the test split when there is one, else what training held out.
                var evaluated = testSet is { Count: > 0 } ? testSet : validation ?? loaded.StatisticsImages();
                report = HtmlReport.Write(Path.Combine(folder, HtmlReport.DefaultFileName), new ReportInput
                {
                    Model = classifier, Evaluated = evaluated, Result = test ?? classifier.Evaluate(evaluated), Samples = loaded.StatisticsImages(), History = history,
                });
            }

            var result = new TrainResult(loaded.Name, classifier.Spec.Architecture, allEpochs, stopper.BestEpoch,
                train.Count, validation?.Count ?? 0, best.GetValueOrDefault("val_accuracy", double.NaN), test?.Accuracy, test?.Loss,
                Math.Round(clock.Elapsed.TotalSeconds, 1), Path.GetFullPath(folder), Path.GetFullPath(modelPath), report,
                stageResults?.Select(StageSummary.Of).ToArray());
            File.WriteAllText(Path.Combine(folder, "summary.json"), System.Text.Json.JsonSerializer.Serialize(result, Json.Options));
            if (json) terminal.WriteJson(result);
            else
            {
                if (test is not null) terminal.Out.WriteLine($"Test: accuracy {test.Accuracy:P2}, loss {test.Loss:0.0000} on {test.Count:N0} images");
                terminal.Out.WriteLine($"Wrote {modelPath}, history.csv, history.json and summary.json to {folder} ({clock.Elapsed.TotalSeconds:0}s in all)");
                if (report is not null) terminal.Out.WriteLine($"Report: {report}");
            }
            return 0;
        });
        return command;
    }

    public sealed record TrainResult(string Dataset, string Model, int Epochs, int BestEpoch, int TrainImages, int ValidationImages,
        double ValAccuracy, double? TestAccuracy, double? TestLoss, double Seconds, string Output, string ModelFile, string? Report,
        IReadOnlyList<StageSummary>? Stages = null);

    /// <summary>One transfer stage in summary.json: its epochs, best validation accuracy and parameter counts.</summary>
    public sealed record StageSummary(string Stage, int Epochs, double BestValAccuracy, long TrainableParams, long NonTrainableParams,
        string? TrainableFrom, double? FeatureImagesPerS)
    {
        public static StageSummary Of(StageResult r) => new(r.Stage, r.History.Count,
            r.History.Values("val_accuracy").DefaultIfEmpty(double.NaN).Max(), r.TrainableParameters, r.NonTrainableParameters,
            r.TrainableFrom, r.FeatureImagesPerSecond is double rate ? Math.Round(rate, 1) : null);
    }

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
