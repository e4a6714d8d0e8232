using System.Diagnostics;
using ImageClassifier.Data;
using ImageClassifier.Data.Loading;
using ImageClassifier.Distributed;
using ImageClassifier.Engine;
using ImageClassifier.Evaluation;
using ImageClassifier.Imaging;
using ImageClassifier.Models;
using ImageClassifier.Reporting;
using ImageClassifier.Serialization;
using ImageClassifier.Training;
using ImageClassifier.Training.Callbacks;
using ImageClassifier.Training.Checkpoints;

namespace ImageClassifier.Recipes;

public sealed partial record TrainingRecipe
{
    /// <summary>
    /// Loads <paramref name="source"/> (a dataset name or a path), holds out the validation split and
    /// trains: see <see cref="Run(TrainingData, string?, TextWriter?)"/>. With transfer learning, folders
    /// are read at the model's input size in colour.
    /// </summary>
    public TrainingResult Run(string source, string? output = null, TrainingDataOptions? data = null, TextWriter? log = null)
    {
        var clock = Stopwatch.StartNew();   // a time budget counts the loading too
        Validate();
        data ??= new TrainingDataOptions();
        if (Transfer is not null)
        {
            var (height, width) = Transfer.InputSize();
            data = data with { Locator = data.Locator with { ImageFolder = data.Locator.ImageFolder with { Shape = new ImageShape(3, height, width) } } };
        }
        using var loaded = TrainingData.Load(source, data, ValidationSplit, Seed);
        // The source as given (a path made absolute), so that evaluate can find the data again.
        string recorded = File.Exists(source) || Directory.Exists(source) ? Path.GetFullPath(source) : source;
        return Run(loaded, output, log, recorded, clock);
    }

    /// <summary>
    /// Trains on <paramref name="data"/> and writes to <paramref name="output"/> (default out/&lt;dataset&gt;):
    /// model.imgclass (the best epoch's weights, checkpointed as training goes), history.csv and history.json
    /// (fine-tune-history.* for a second transfer stage), summary.json and report.html. The model is evaluated
    /// on the test split when there is one.
    /// </summary>
    public TrainingResult Run(TrainingData data, string? output = null, TextWriter? log = null) => Run(data, output, log, data.Name, Stopwatch.StartNew());

    TrainingResult Run(TrainingData data, string? output, TextWriter? log, string recordedSource, Stopwatch clock)
    {
        using var precision = Engine.ComputePrecision.Use(PrecisionInUse());
        log ??= TextWriter.Null;
        string outputFolder = output ?? DefaultOutputFolder(data.Name);
        // In a distributed job rank 0 alone writes (and locks and clears the folder); the other ranks only train.
        if (Distributed is not null && !DistributedRun.Start(Distributed).IsRoot)
        {
            // A resumed job: every rank starts from rank 0's latest checkpoint (the folder must be shared, or copied to each host).
            var start = Resume ? ResumePoint(new CheckpointFolder(Path.Combine(outputFolder, CheckpointFolder.DefaultName)), log) : null;
            using var trained = Fit(data, log, null, clock, null, start);
            var bestLogs = trained.History.Epochs[trained.BestEpoch - 1];
            return new TrainingResult(data.Name, trained.Model.Spec.Architecture, trained.Epochs, trained.BestEpoch, data.Train.Count, data.Validation?.Count ?? 0,
                bestLogs.GetValueOrDefault("val_accuracy", double.NaN), null, null, Math.Round(clock.Elapsed.TotalSeconds, 1),
                Path.GetFullPath(outputFolder), Path.GetFullPath(Path.Combine(outputFolder, "model" + ModelFile.Extension)), null, null, null);
        }
        using var folder = RunFolder.Open(outputFolder, log);
        TrainingCheckpoint? resumeFrom = null;
        if (Resume)
        {
            resumeFrom = ResumePoint(folder.Checkpoints, log);
            log.WriteLine($"Resuming from {resumeFrom.Path} ({resumeFrom.Where}).");
        }
        else folder.ClearEarlierRun(log);
        Stop.ThrowIfCancellationRequested();

        string modelPath = Path.Combine(folder.Path, "model" + ModelFile.Extension);
        FittedModel fitted;
        try { fitted = Fit(data, log, folder.Path, clock, new RunFiles(folder, resumeFrom, recordedSource)); }
        catch (TrainingInterruptedException e) { throw new TrainingInterruptedException(e.Message, e.CheckpointPath, folder.Path); }
        using var _ = fitted;
        var (model, history, stages) = (fitted.Model, fitted.History, fitted.Stages);
        var (train, validation, test) = (data.Train, data.Validation, data.Test);

        var tta = Tta is null ? null : TestTimeAugmentation.Parse(Tta);
        EvaluationResult? tested = test is { Count: > 0 } ? model.Evaluate(test, tta: tta) : null;
        var best = history.Epochs[Math.Max(fitted.BestEpoch, 1) - 1];
        model.Training = new TrainingSummary(recordedSource, train.Count, validation?.Count ?? 0, fitted.Epochs, fitted.BestEpoch,
            Optimizer, LearningRate, BatchSize, Seed, clock.Elapsed.TotalSeconds,
            best.ToDictionary(kv => kv.Key, kv => kv.Value), tested?.Accuracy, tested?.Loss);
        model.Save(modelPath);

        string? report = null;
        if (Report)
        {
            // The report shows the test split when there is one, else what training held out.
            var evaluated = test is { Count: > 0 } ? test : validation ?? data.StatisticsImages();
            report = HtmlReport.Write(Path.Combine(folder.Path, HtmlReport.DefaultFileName), new ReportInput
            {
                Model = model, Evaluated = evaluated, Result = tested ?? model.Evaluate(evaluated), Samples = data.StatisticsImages(), History = history,
            });
        }

        var result = new TrainingResult(data.Name, model.Spec.Architecture, fitted.Epochs, fitted.BestEpoch,
            train.Count, validation?.Count ?? 0, best.GetValueOrDefault("val_accuracy", double.NaN), tested?.Accuracy, tested?.Loss,
            Math.Round(clock.Elapsed.TotalSeconds, 1), folder.Path, Path.GetFullPath(modelPath), report,
            stages?.Select(StageSummary.Of).ToArray(), tested?.Count);
        result.Write(Path.Combine(folder.Path, TrainingResult.FileName));
        // The run is complete: its model, history, summary and report are written, so its checkpoints are spent.
        folder.Checkpoints.Clear(removeFolder: true);
        if (BudgetSeconds is { } budget)
            log.WriteLine(FormattableString.Invariant($"Finished in {clock.Elapsed.TotalSeconds:0}s of the {budget:0}s budget"));
        return result;
    }

    /// <summary>
    /// Trains a fresh model on <paramref name="data"/> with the recipe's callbacks (or its two transfer stages) and
    /// returns it with its history; writes nothing unless <paramref name="folder"/> is given (then the best-epoch
    /// checkpoint and the history files go there).
    /// </summary>
    public FittedModel Fit(TrainingData data, TextWriter? log = null, string? folder = null) => Fit(data, log, folder, Stopwatch.StartNew(), null);

    /// <summary>
    /// The newest readable checkpoint in <paramref name="checkpoints"/>, when it was written by a job of as many ranks as
    /// this one: another number would split every epoch differently and change the steps per epoch.
    /// </summary>
    TrainingCheckpoint ResumePoint(CheckpointFolder checkpoints, TextWriter log)
    {
        var checkpoint = checkpoints.ReadLatest(damaged => log.WriteLine($"warning: {damaged}; trying the one before."))
            ?? throw new ArgumentException($"There is no readable checkpoint in {checkpoints.Path} to resume from.");
        int written = checkpoint.Run?["world_size"]?.GetValue<int>() ?? 1;
        int ranks = Distributed is null ? 1 : DistributedRun.Start(Distributed).Communicator.Size;
        if (written != ranks)
            throw new ArgumentException($"The checkpoint {checkpoint.Path} was written by {Ranks(written)} and this run has {Ranks(ranks)}: resume it with " +
                (written == 1 ? "one process (without mpirun)" : $"mpirun -np {written}") + ", since another number of ranks would split every epoch differently.");
        return checkpoint;

        static string Ranks(int n) => n == 1 ? "a single process" : $"a job of {n} ranks";
    }

    /// <summary>A run into an output folder: its checkpoints, the checkpoint it resumes from, and what it trains on.</summary>
    sealed record RunFiles(RunFolder Folder, TrainingCheckpoint? ResumeFrom, string Source);

    /// <param name="rankResume">For a rank other than 0 of a resumed job (it has no <paramref name="files"/>): the checkpoint it starts from.</param>
    FittedModel Fit(TrainingData data, TextWriter? log, string? folder, Stopwatch clock, RunFiles? files, TrainingCheckpoint? rankResume = null)
    {
        using var precision = Engine.ComputePrecision.Use(PrecisionInUse());
        Validate();
        log ??= TextWriter.Null;
        var distributed = Distributed is null ? null : DistributedRun.Start(Distributed);
        if (distributed is { IsRoot: false }) (log, folder) = (TextWriter.Null, null); // rank 0 alone logs and writes
        var (train, validation, test) = (data.Train, data.Validation, data.Test);
        log.WriteLine($"Data: {data.Name}: {train.Count:N0} training, {validation?.Count ?? 0:N0} validation, {test?.Count ?? 0:N0} test images of {train.Shape}, {train.ClassNames.Count} classes");
        if (Engine.ComputePrecision.BFloat16) log.WriteLine("Precision: convolutions that support it compute in bfloat16 (weights and statistics stay float32)");
        var options = OptionsFor(train.Labels, train.ClassNames.Count, log);
        if (options.Augmentation is not null) log.WriteLine($"Augmentation: {options.Augmentation}");
        if (options.Sampler is not null) log.WriteLine("Oversampling: every class drawn equally often (with replacement)");
        options.Validate();
        if (distributed is not null)
        {
            options = distributed.Adapt(options);
            log.WriteLine($"Distributed: {distributed.Communicator.Size} ranks, {BatchSize} images per rank and step ({BatchSize * distributed.Communicator.Size} in all), "
                + (Distributed!.ScaleLearningRate && distributed.Communicator.Size > 1 ? $"learning rate {LearningRate:g3} x {distributed.Communicator.Size} after {Distributed.WarmupEpochs} warmup epoch(s)" : $"learning rate {LearningRate:g3} unscaled"));
        }
        var stages = Transfer?.Stages;
        var resumeFrom = files?.ResumeFrom ?? rankResume;
        if (resumeFrom is not null && stages is not null)
            throw new ArgumentException("Resuming works for training from scratch; a transfer-learning run (--pretrained, --weights) must start again.");

        int rollbacks = resumeFrom?.Run?["rollbacks"]?.GetValue<int>() ?? 0;
        while (true)
        {
            // After a rollback the learning rate is halved once for every rollback since the checkpoint was written.
            int rollbacksBefore = resumeFrom?.Run?["rollbacks"]?.GetValue<int>() ?? 0;
            double rateFactor = Math.Pow(0.5, rollbacks - rollbacksBefore);
            var run = files is null || stages is not null ? null
                : new CheckpointSettings(files.Folder.Checkpoints, new RunInfo(this, files.Source, Invocation, rollbacks, distributed?.Communicator.Size ?? 1), resumeFrom?.Path, rateFactor);
            var model = CreateModel(data);
            try
            {
                if (files is not null)
                {
                    files.Folder.CheckSpace(model);
                    // The best-epoch model written during training says what it was trained on (evaluate and report need no --data).
                    model.Training = new TrainingSummary(files.Source, train.Count, validation?.Count ?? 0, 0, 0, Optimizer, LearningRate, BatchSize, Seed, 0, []);
                }
                if (resumeFrom is null) log.WriteLine(model.Summary().ToText(model.Spec.Architecture));
                if (Transfer is not null) log.WriteLine($"Preprocessing: {model.Preprocessing}");
                distributed?.CheckConsistency(model, train, validation?.Count ?? 0, test?.Count ?? 0, ToJson() + Distributed);
                var validating = distributed is null ? validation : distributed.ShareOf(validation); // each rank validates its share
                var callbacks = new RecipeCallbacks(this, folder, validation is not null, log, Budget(data, clock, log), files is not null, run,
                    distributed is null ? null : distributed.Callbacks);
                if (stages is null)
                {
                    var history = model.Fit(train, validating, options with { ResumeFrom = resumeFrom }, callbacks.For("train"));
                    return Fitted(model, history, null, callbacks.BestEpoch);
                }
                // Transfer stages (feature caching, fine-tuning) work on images held in memory.
                var images = (train as InMemoryBatchSource)?.Dataset
                    ?? throw new ArgumentException("Transfer learning works on images held in memory, not streamed ones.");
                var results = FineTuning.Train(model, images, validating, options, stages, callbacks.For, log.WriteLine);
                log.WriteLine(model.Summary().ToText(model.Spec.Architecture));
                return Fitted(model, results[^1].History, results, callbacks.BestEpoch);
            }
            catch (NonFiniteLossException e) when (run is not null && OnNan == "rollback")
            {
                model.Dispose();
                if (rollbacks >= MaxNanRollbacks)
                    throw new NonFiniteLossException($"{e.Message.TrimEnd('.')}; gave up after {MaxNanRollbacks} rollbacks, each halving the learning rate.", e.Epoch, e.Batch, e.Loss);
                resumeFrom = files!.Folder.Checkpoints.ReadLatest(damaged => log.WriteLine($"warning: {damaged}; trying the one before."))
                    ?? throw new NonFiniteLossException($"{e.Message} There is no checkpoint to roll back to.", e.Epoch, e.Batch, e.Loss);
                rollbacks++;
                log.WriteLine($"{e.Message.TrimEnd('.')}. Rolling back to {resumeFrom.Path} ({resumeFrom.Where}) with the learning rate halved (rollback {rollbacks} of {MaxNanRollbacks}).");
            }
            catch
            {
                model.Dispose();
                throw;
            }
        }
    }

    // Without early stopping (a schedule or a moving average plans the whole run) the last epoch is the one kept.
    static FittedModel Fitted(Classifier model, History history, IReadOnlyList<StageResult>? stages, int bestEpoch) =>
        history.Count == 0
            ? throw new ModelException("Training stopped before finishing an epoch.")
            : new FittedModel(model, history, stages, bestEpoch > 0 ? bestEpoch : history.Count);

    /// <summary>
    /// The time budget's callback, when the recipe has a budget: it keeps back, for the end of the run, the time to
    /// evaluate the test split (every TTA view, at about three times the training speed: no backward pass) and a
    /// fixed 5 s for saving the model (10 s with the report to write).
    /// </summary>
    Func<Training.Budget.TimeBudget>? Budget(TrainingData data, Stopwatch clock, TextWriter log)
    {
        if (BudgetSeconds is not { } seconds) return null;
        int views = Tta is null ? 1 : TestTimeAugmentation.Parse(Tta).ViewCount;
        long evaluated = (long)(data.Test?.Count ?? 0) * views;
        return () => new Training.Budget.TimeBudget(TimeSpan.FromSeconds(seconds), clock,
            imagesPerSecond => TimeSpan.FromSeconds(evaluated / (3 * imagesPerSecond) + (Report ? 10 : 5)), report: log.WriteLine);
    }

    /// <summary>
    /// A fresh model for <paramref name="data"/>, seeded with <see cref="Seed"/> (so the same recipe starts from the
    /// same weights): the pretrained one with a new head, or the registry's architecture with the preprocessing
    /// the recipe asks for.
    /// </summary>
    public Classifier CreateModel(TrainingData data)
    {
        TorchRuntime.Seed(Seed);
        var preprocessing = Normalize ? ChannelStatistics.Of(data.StatisticsImages()).Standardization() : Preprocessing.UnitRange;
        var model = Transfer is not null
            ? Transfer.CreateModel(Model, data.Train.ClassNames)
            : Classifier.Create(Model, data.Train.Shape, data.Train.ClassNames, preprocessing);
        return Device is { } device ? model.To(device) : model;
    }

    /// <summary>
    /// k-fold cross-validation with this recipe: each fold trains a fresh model exactly as <see cref="Fit"/> does
    /// (holding out <see cref="ValidationSplit"/> of the fold's training part for its callbacks) and is scored on
    /// the fold it left out. Nothing is written.
    /// </summary>
    public CrossValidationResult CrossValidate(ImageDataset data, IReadOnlyList<Fold> folds, Action<FoldResult>? onFold = null, TextWriter? log = null) =>
        CrossValidation.Run(data, folds, (part, _) =>
        {
            using var foldData = TrainingData.FromDataset(part, null, ValidationSplit, Seed);
            var fitted = Fit(foldData, log);
            return (fitted.Model, fitted.Epochs);
        }, onFold);

    /// <summary>out/&lt;dataset name&gt;, with characters unsafe in a folder name replaced.</summary>
    public static string DefaultOutputFolder(string datasetName)
    {
        string safe = string.Concat(datasetName.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '-')).Trim('-');
        return Path.Combine("out", safe.Length > 0 ? safe : "dataset");
    }
}
