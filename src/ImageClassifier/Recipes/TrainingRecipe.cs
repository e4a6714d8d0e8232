using System.Text.Json.Serialization;
using ImageClassifier.Data;
using ImageClassifier.Data.Loading;
using ImageClassifier.Evaluation;
using ImageClassifier.Imaging.Augmentation;
using ImageClassifier.Training;
using ImageClassifier.Training.Schedules;

namespace ImageClassifier.Recipes;

/// <summary>
/// Everything <c>imgclass train</c> decides, as plain values with the defaults in one place: the
/// architecture, the optimiser (defaults of <see cref="TrainingOptions"/>: the TensorFlow CNN tutorial's
/// Adam 1e-3, batch 32), the validation split, the callbacks and what they monitor, how batches are fed,
/// optional transfer stages, and whether to write the report. <see cref="Run(string, string?, TrainingDataOptions?, TextWriter?)"/>
/// trains and writes the output folder exactly as the command line does; the CLI only maps options onto it.
/// Plain values so that a configuration can be saved and read back as JSON.
/// </summary>
public sealed partial record TrainingRecipe
{
    static readonly TrainingOptions Defaults = new();

    /// <summary>A registry architecture (tutorial-cnn, resnet-small, ...); with <see cref="Transfer"/> the backbone for its weights file.</summary>
    public string Model { get; init; } = "tutorial-cnn";
    public int Epochs { get; init; } = Defaults.Epochs;
    public int BatchSize { get; init; } = Defaults.BatchSize;
    /// <summary>adam, adamw or sgd.</summary>
    public string Optimizer { get; init; } = Defaults.Optimizer;
    public double LearningRate { get; init; } = Defaults.LearningRate;
    public double WeightDecay { get; init; } = Defaults.WeightDecay;
    public double Momentum { get; init; } = Defaults.Momentum;
    public bool Nesterov { get; init; } = Defaults.Nesterov;
    public double LabelSmoothing { get; init; } = Defaults.LabelSmoothing;
    /// <summary>"balanced" (scikit-learn's formula) or one non-negative weight per class, comma-separated; null: none.</summary>
    public string? ClassWeights { get; init; }
    /// <summary>Standardise each channel with the training images' mean and std (else pixels are only scaled to [0,1]).</summary>
    public bool Normalize { get; init; }
    public int Seed { get; init; } = Defaults.Seed;

    /// <summary>Fraction of the training images held out, stratified, for validation (0: none).</summary>
    public double ValidationSplit { get; init; } = 0.1;
    /// <summary>
    /// What early stopping, reduce-LR and the checkpoint watch: val_accuracy (default) or val_loss; the training
    /// metric when there is no validation data. Accuracy by default because on Fashion-MNIST val_loss turns up
    /// (over-confidence) epochs before accuracy stops improving: runs stopped on it ended at 90.6% against 91.4%.
    /// </summary>
    public string Monitor { get; init; } = "val_accuracy";
    /// <summary>Early stopping: epochs without improvement before stopping (the best weights are restored).</summary>
    public int Patience { get; init; } = 5;
    public double ReduceLrFactor { get; init; } = 0.2;
    public int ReduceLrPatience { get; init; } = 3;
    public double MinLr { get; init; } = 1e-6;

    /// <summary>Augmentation of training batches, as <see cref="AugmentationSpec"/> parses it ("flip,rotate=0.1"); null: none.</summary>
    public string? Augment { get; init; }
    /// <summary>Extra augmentation for the images of rare classes (fewer than half the largest class's count).</summary>
    public string? RareAugment { get; init; }
    /// <summary>Draw every class equally often (weighted sampling with replacement).</summary>
    public bool Oversample { get; init; }

    /// <summary>
    /// The learning-rate schedule, stepped per batch with the learning rate as its peak: constant, one-cycle or cosine
    /// (warmup + cosine; see LearningRateSchedule.Parse). A schedule plans every step of the run, so with one early
    /// stopping and reduce-LR are off and the last epoch's weights are kept.
    /// </summary>
    public string Schedule { get; init; } = "constant";
    /// <summary>Decay of an exponential moving average of the weights (e.g. 0.999), which becomes the evaluated and saved model; null: off.</summary>
    public double? Ema { get; init; }
    /// <summary>
    /// A wall-clock budget in seconds for the whole run (loading, training, evaluation and saving): the epochs are fitted to
    /// it from the speed measured in the first steps; <see cref="Epochs"/> is only the plan until then (a schedule's first
    /// steps follow it). null: no budget.
    /// </summary>
    public double? BudgetSeconds { get; init; }
    /// <summary>Test-time augmentation for the evaluation on the test split (TestTimeAugmentation.Parse, e.g. "flip"); null: none.</summary>
    public string? Tta { get; init; }
    /// <summary>
    /// The number format convolutions compute in: float32, bfloat16 or auto (bfloat16 where the CPU has it natively); see
    /// <see cref="Engine.ComputePrecision"/>. Null: <see cref="PrecisionInUse"/> decides.
    /// </summary>
    public string? Precision { get; init; }

    /// <summary>
    /// <see cref="Precision"/> when set; else auto for a pretrained backbone (<see cref="Transfer"/>: ImageNet ResNets are where
    /// bfloat16 pays most, 2x faster fine-tuning in less memory) and float32 for training from scratch (the tutorials' figures).
    /// </summary>
    public string PrecisionInUse() => Precision ?? DefaultPrecision(pretrained: Transfer is not null);

    /// <summary>The precision a run uses when none is given (see <see cref="PrecisionInUse"/>).</summary>
    public static string DefaultPrecision(bool pretrained) => pretrained ? "auto" : "float32";

    /// <summary>Transfer learning from pretrained weights, in two stages; null: train from scratch.</summary>
    public TransferRecipe? Transfer { get; init; }

    /// <summary>Write report.html beside the model.</summary>
    public bool Report { get; init; } = true;

    /// <summary>Train as one rank of an MPI job (launched by mpirun); null: a single process. Not part of a saved configuration.</summary>
    [JsonIgnore] public Distributed.DistributedTraining? Distributed { get; init; }

    /// <summary>Where the model trains; the CPU by default. Not part of a saved configuration.</summary>
    [JsonIgnore] public TorchSharp.torch.Device? Device { get; init; }

    /// <summary>Callbacks added to the recipe's own for a stage ("train", "head" or "fine-tune"), e.g. to prune a search trial.</summary>
    [JsonIgnore] public Func<string, IEnumerable<Training.Callbacks.Callback>>? ExtraCallbacks { get; init; }

    /// <summary>Show progress by rewriting one line (on a terminal) rather than printing lines.</summary>
    [JsonIgnore] public bool InteractiveProgress { get; init; }

    /// <summary>
    /// With an output folder, a training checkpoint is written at the end of every epoch and, when this is above 0,
    /// every that many batches too (the newest two kept in checkpoints/). Stored in the checkpoint, not in the JSON.
    /// </summary>
    [JsonIgnore] public int CheckpointEvery { get; init; }

    /// <summary>What a NaN or infinite loss does (with an output folder): "stop" fails the run naming the epoch and batch;
    /// "rollback" returns to the last checkpoint with the learning rate halved, at most <see cref="MaxNanRollbacks"/> times.</summary>
    [JsonIgnore] public string OnNan { get; init; } = "stop";
    public const int MaxNanRollbacks = 3;
    public static readonly string[] NanPolicies = ["stop", "rollback"];

    /// <summary>Continue the run whose checkpoints are in the output folder (see <see cref="ReadRun"/>), instead of starting afresh.</summary>
    [JsonIgnore] public bool Resume { get; init; }

    /// <summary>Cancelled to stop training after the current batch (SIGINT, SIGTERM): a checkpoint is written and
    /// <see cref="Training.Checkpoints.TrainingInterruptedException"/> thrown.</summary>
    [JsonIgnore] public CancellationToken Stop { get; init; }

    /// <summary>What the caller wants stored with the checkpoints to start the run again (the CLI's data and runtime options).</summary>
    [JsonIgnore] public System.Text.Json.Nodes.JsonObject? Invocation { get; init; }

    public static TrainingRecipe Default { get; } = new();

    /// <summary>Checks every value before anything is loaded or trained.</summary>
    public void Validate()
    {
        OptionsFor([], 0, TextWriter.Null).Validate();
        if (ValidationSplit is < 0 or >= 1 || double.IsNaN(ValidationSplit))
            throw new ArgumentException($"The validation split must be in [0, 1), not {ValidationSplit}.");
        if (Monitor is not ("val_accuracy" or "val_loss"))
            throw new ArgumentException($"The monitored metric must be val_accuracy or val_loss, not '{Monitor}'.");
        if (Patience < 0) throw new ArgumentException($"Patience must not be negative ({Patience}).");
        if (ReduceLrPatience < 0) throw new ArgumentException($"Reduce-LR patience must not be negative ({ReduceLrPatience}).");
        if (ReduceLrFactor is <= 0 or >= 1 || double.IsNaN(ReduceLrFactor))
            throw new ArgumentException($"The reduce-LR factor must be between 0 and 1, not {ReduceLrFactor}.");
        if (MinLr < 0 || double.IsNaN(MinLr)) throw new ArgumentException($"The minimum learning rate must not be negative ({MinLr}).");
        if (CheckpointEvery < 0) throw new ArgumentException($"Checkpoint-every must not be negative ({CheckpointEvery}).");
        if (!NanPolicies.Contains(OnNan)) throw new ArgumentException($"On-NaN must be {string.Join(" or ", NanPolicies)}, not '{OnNan}'.");
        LearningRateSchedule.Parse(Schedule);
        if (Ema is { } decay && decay is not (> 0 and < 1)) throw new ArgumentException($"The EMA decay must be between 0 and 1 (e.g. 0.999), not {decay}.");
        if (BudgetSeconds is { } budget && !(budget > 0)) throw new ArgumentException($"The time budget must be positive, not {budget} seconds.");
        if (Tta is not null) TestTimeAugmentation.Parse(Tta);
        Engine.ComputePrecision.Validate(PrecisionInUse());
        if (Augment is not null) AugmentationSpec.Parse(Augment);
        if (RareAugment is not null) AugmentationSpec.Parse(RareAugment);
        if (Distributed is not null)
        {
            Distributed.Validate();
            if (BudgetSeconds is not null)
                throw new ArgumentException("A time budget does not work in distributed training (each rank would stop at its own time): leave out the budget, or set the epochs.");
            if (Distributed.ScaleLearningRate && LearningRateSchedule.Parse(Schedule) is not ConstantRate)
                throw new ArgumentException("A learning-rate schedule sets the rate every step, so distributed training cannot scale it: turn the scaling off (--no-lr-scaling) and give the schedule the rate for the whole job's batch.");
            // The ranks agree at epoch boundaries only (EpochBoundarySync), so rank 0's checkpoints are taken there.
            if (CheckpointEvery > 0)
                throw new ArgumentException("Checkpoints every N batches do not work in distributed training (the ranks hold the same state only at the end of an epoch): leave out the option; every epoch's end is checkpointed.");
            if (OnNan == "rollback") throw new ArgumentException("Rolling back after a NaN loss is not supported in distributed training (rank 0 alone has checkpoints): use the default, stop.");
        }
        if (Transfer is not null)
        {
            Transfer.Validate();
            if (Normalize) throw new ArgumentException("Normalization does not apply to transfer learning: the pretrained weights fix the preprocessing.");
        }
    }

    /// <summary>The training-loop options for a training set with these labels (class weights, rare classes and sampling depend on them).</summary>
    public TrainingOptions OptionsFor(IReadOnlyList<int> labels, int classCount, TextWriter log) => new()
    {
        Epochs = Epochs, BatchSize = BatchSize, Optimizer = Optimizer, LearningRate = LearningRate, WeightDecay = WeightDecay,
        Momentum = Momentum, Nesterov = Nesterov, LabelSmoothing = LabelSmoothing, Seed = Seed,
        ClassWeights = ParseClassWeights(labels, classCount),
        Augmentation = Augmentation(labels, classCount, log),
        Sampler = Oversample && labels.Count > 0 ? WeightedSampler.ForBalancedClasses(labels, Seed) : null,
    };

    float[]? ParseClassWeights(IReadOnlyList<int> labels, int classCount)
    {
        if (string.IsNullOrWhiteSpace(ClassWeights) || classCount == 0) return null;
        if (ClassWeights.Equals("balanced", StringComparison.OrdinalIgnoreCase)) return Training.ClassWeights.Balanced(labels, classCount);
        var parts = ClassWeights.Split(',');
        var culture = System.Globalization.CultureInfo.InvariantCulture;
        if (parts.Length != classCount || !parts.All(p => float.TryParse(p, culture, out float w) && w >= 0))
            throw new ArgumentException($"Class weights must be 'balanced' or {classCount} non-negative numbers separated by commas, not '{ClassWeights}'.");
        return parts.Select(p => float.Parse(p, culture)).ToArray();
    }

    IBatchAugmentation? Augmentation(IReadOnlyList<int> labels, int classCount, TextWriter log)
    {
        var steps = new List<IBatchAugmentation>();
        if (Augment is not null) steps.Add(AugmentationSpec.Parse(Augment));
        if (RareAugment is not null && classCount > 0)
        {
            var rare = RareClassAugmentation.FindRareClasses(labels, classCount);
            if (rare.Length == 0)
                log.WriteLine("note: rare-class augmentation changes nothing here: no class has fewer than half the largest class's images");
            else // before the common steps, so that MixUp or CutMix still mix the result
                steps.Insert(0, new RareClassAugmentation(AugmentationSpec.Parse(RareAugment), rare));
        }
        return steps.Count switch { 0 => null, 1 => steps[0], _ => new AugmentationPipeline(steps) };
    }
}
