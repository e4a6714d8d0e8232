using System.CommandLine;
using ImageClassifier.Models;
using ImageClassifier.Recipes;

namespace ImageClassifier.Cli.Infrastructure;

/// <summary>
/// The options that fill a <see cref="TrainingRecipe"/> (train, cv and tune share them). Their defaults are the
/// recipe's own, so the command line and the library cannot drift apart. With --config the recipe starts from a
/// JSON file (tune's best.json) instead of the defaults, and only the options given on the command line change it.
/// </summary>
public sealed class RecipeOptions
{
    static readonly TrainingRecipe Defaults = TrainingRecipe.Default;

    public readonly Option<string?> Config = new("--config") { Description = "Start from a training configuration in JSON (imgclass tune's best.json, or a TrainingRecipe saved as JSON): its settings replace the defaults, and options given on the command line override them." };
    public readonly Option<string?> Preset = new("--preset") { Description = "Start from a named recipe, changed by the options given: " + string.Join(", ", TrainingRecipe.Presets.Keys) + " (fast: a small ResNet, wider from an 8-minute --budget, with SGD, one-cycle, label smoothing, crop+flip and flip+shift TTA; fine-tune: ImageNet ResNet18 with every layer fine-tuned; see the README)." };
    public readonly Option<string> Schedule = new("--schedule") { Description = "Learning-rate schedule, stepped per batch with --lr as its peak: constant, one-cycle[:WARMUP] or cosine[:WARMUP] (warmup + cosine); with a schedule, early stopping and reduce-LR are off.", DefaultValueFactory = _ => Defaults.Schedule };
    public readonly Option<double?> Ema = new("--ema") { Description = "Keep an exponential moving average of the weights with this decay (e.g. 0.999) and evaluate and save it as the model; early stopping and reduce-LR are then off." };
    public readonly Option<string?> Tta = TtaOption.Create();
    public readonly Option<string?> Precision = PrecisionOption.Create(Defaults.Precision);
    /// <summary>Train only: tune has its own --budget for the whole search.</summary>
    public readonly Option<string?> Budget = new("--budget") { Description = "Wall-clock budget for the whole run, such as 5m or 1h: the epochs are fitted to it from the speed measured in the first steps (--epochs is then not used). With --preset fast, 8 minutes or more train the wider resnet-fast-wide." };
    public readonly Option<string> Model = new("--model", "-m") { Description = "Architecture: " + string.Join(", ", ModelRegistry.Entries.Select(e => e.Name)) + ".", DefaultValueFactory = _ => Defaults.Model };
    public readonly Option<int> Epochs = new("--epochs", "-e") { Description = "The most epochs to train (early stopping may end sooner).", DefaultValueFactory = _ => Defaults.Epochs };
    public readonly Option<int> BatchSize = new("--batch-size", "-b") { Description = "Images per training batch.", DefaultValueFactory = _ => Defaults.BatchSize };
    public readonly Option<double> Lr = new("--lr") { Description = "Learning rate.", DefaultValueFactory = _ => Defaults.LearningRate };
    public readonly Option<string> Optimizer = new("--optimizer") { Description = "adam, adamw or sgd.", DefaultValueFactory = _ => Defaults.Optimizer };
    public readonly Option<double> WeightDecay = new("--weight-decay") { Description = "Weight decay (L2 for adam and sgd, decoupled for adamw).", DefaultValueFactory = _ => Defaults.WeightDecay };
    public readonly Option<double> Momentum = new("--momentum") { Description = "SGD momentum.", DefaultValueFactory = _ => Defaults.Momentum };
    public readonly Option<bool> Nesterov = new("--nesterov") { Description = "SGD with Nesterov momentum." };
    public readonly Option<double> LabelSmoothing = new("--label-smoothing") { Description = "Label smoothing for the cross-entropy loss, 0 to <1.", DefaultValueFactory = _ => Defaults.LabelSmoothing };
    public readonly Option<string?> ClassWeights = new("--class-weights") { Description = "Loss weight per class: 'balanced' (as scikit-learn computes it) or a comma-separated list." };
    public readonly Option<bool> Normalize = new("--normalize") { Description = "Standardise each channel with the training set's mean and std (else pixels are only scaled to [0,1])." };
    public readonly Option<double> ValidationSplit = new("--validation-split") { Description = "Fraction of the training images held out (stratified) for validation.", DefaultValueFactory = _ => Defaults.ValidationSplit };
    public readonly Option<string> Monitor = new("--monitor") { Description = "The validation metric early stopping, reduce-LR and the checkpoint watch: val_accuracy or val_loss (without validation data, the training one).", DefaultValueFactory = _ => Defaults.Monitor };
    public readonly Option<int> Patience = new("--patience") { Description = "Early stopping: epochs without improvement of the monitored metric before stopping (best weights are restored).", DefaultValueFactory = _ => Defaults.Patience };
    public readonly Option<double> ReduceLrFactor = new("--reduce-lr-factor") { Description = "Reduce-LR-on-plateau: factor applied to the learning rate.", DefaultValueFactory = _ => Defaults.ReduceLrFactor };
    public readonly Option<int> ReduceLrPatience = new("--reduce-lr-patience") { Description = "Reduce-LR-on-plateau: epochs without improvement before reducing.", DefaultValueFactory = _ => Defaults.ReduceLrPatience };
    public readonly Option<double> MinLr = new("--min-lr") { Description = "Reduce-LR-on-plateau: the lowest learning rate.", DefaultValueFactory = _ => Defaults.MinLr };

    public RecipeOptions()
    {
        Monitor.AcceptOnlyFromAmong("val_loss", "val_accuracy");
        Tta.Description = "Evaluate the test split with test-time augmentation: " + Evaluation.TestTimeAugmentation.Syntax + " (--tta alone: flip).";
    }

    /// <param name="withBudget">Add --budget (train's; tune has its own).</param>
    public void AddTo(Command command, bool withBudget = false)
    {
        if (withBudget) command.Options.Add(Budget);
        foreach (var option in new Option[] { Config, Preset, Schedule, Ema, Tta, Precision, Model, Epochs, BatchSize, Lr, Optimizer, WeightDecay, Momentum, Nesterov, LabelSmoothing, ClassWeights, Normalize, ValidationSplit, Monitor, Patience, ReduceLrFactor, ReduceLrPatience, MinLr })
            command.Options.Add(option);
    }

    /// <summary>
    /// The recipe the options describe: --config's settings (else the defaults), with every option given on the command
    /// line, and <paramref name="seed"/> when given, in their place. Bad values fail here with the option's name.
    /// </summary>
    public TrainingRecipe Recipe(ParseResult parse, Option<int> seed, FeedOptions feed, TransferOptions? transfer = null, (int Height, int Width)? imageSize = null)
    {
        var config = Configuration(parse);
        var recipe = config with
        {
            Model = parse.ValueOr(Model, config.Model), Epochs = parse.ValueOr(Epochs, config.Epochs), BatchSize = parse.ValueOr(BatchSize, config.BatchSize),
            LearningRate = parse.ValueOr(Lr, config.LearningRate), Optimizer = parse.ValueOr(Optimizer, config.Optimizer), WeightDecay = parse.ValueOr(WeightDecay, config.WeightDecay),
            Momentum = parse.ValueOr(Momentum, config.Momentum), Nesterov = parse.ValueOr(Nesterov, config.Nesterov), LabelSmoothing = parse.ValueOr(LabelSmoothing, config.LabelSmoothing),
            ClassWeights = parse.ValueOr(ClassWeights, config.ClassWeights), Normalize = parse.ValueOr(Normalize, config.Normalize), Seed = parse.ValueOr(seed, config.Seed),
            ValidationSplit = parse.ValueOr(ValidationSplit, config.ValidationSplit), Monitor = parse.ValueOr(Monitor, config.Monitor), Patience = parse.ValueOr(Patience, config.Patience),
            ReduceLrFactor = parse.ValueOr(ReduceLrFactor, config.ReduceLrFactor), ReduceLrPatience = parse.ValueOr(ReduceLrPatience, config.ReduceLrPatience), MinLr = parse.ValueOr(MinLr, config.MinLr),
            Augment = parse.ValueOr(feed.Augment, config.Augment), RareAugment = parse.ValueOr(feed.RareAugment, config.RareAugment), Oversample = parse.ValueOr(feed.Oversample, config.Oversample),
            Transfer = transfer is null ? config.Transfer : transfer.Recipe(parse, imageSize, config.Transfer),
            Schedule = parse.ValueOr(Schedule, config.Schedule), Ema = parse.GetResult(Ema) is null ? config.Ema : parse.GetValue(Ema),
            Precision = parse.ValueOr(Precision, config.Precision),
            Tta = parse.GetResult(Tta) is null ? config.Tta : parse.GetValue(Tta) is { Length: > 0 } views ? views : "flip",
            BudgetSeconds = parse.GetValue(Budget) is string budget ? BudgetSeconds(budget) : config.BudgetSeconds,
        };
        Check(recipe);
        return recipe;
    }

    static double BudgetSeconds(string text)
    {
        try { return Tuning.Durations.Parse(text).TotalSeconds is > 0 and var seconds ? seconds : throw new ArgumentException(); }
        catch (ArgumentException) { throw new ArgumentException($"--budget must be a positive time such as 5m, 90s, 1h or 1h30m, not '{text}'."); }
    }

    /// <summary>
    /// The recipe in --config's file, or --preset's, or the defaults without either; a file that cannot be used fails with
    /// one line saying why.
    /// </summary>
    public TrainingRecipe Configuration(ParseResult parse)
    {
        string? preset = parse.GetValue(Preset);
        if (preset is not null && parse.GetValue(Config) is not null)
            throw new ArgumentException("--config and --preset both give the recipe to start from: use one.");
        if (preset is not null)
        {
            if (!TrainingRecipe.Presets.TryGetValue(preset, out var named))
                throw new ArgumentException($"--preset must be one of {string.Join(", ", TrainingRecipe.Presets.Keys)}, not '{preset}'.");
            // A budget can change the preset itself (fast's network), as the library's Preset(name, budget) does.
            return parse.GetValue(Budget) is string budget ? TrainingRecipe.Preset(preset, TimeSpan.FromSeconds(BudgetSeconds(budget))) : named;
        }
        if (parse.GetValue(Config) is not string path) return Defaults;
        try { return TrainingRecipe.Load(path); }
        catch (ArgumentException e) { throw new ArgumentException($"--config {path}: {e.Message}", e); }
    }

    // The library's checks, worded with the options' names.
    static void Check(TrainingRecipe recipe)
    {
        string? problem = recipe switch
        {
            { Epochs: < 1 } => $"--epochs must be at least 1, not {recipe.Epochs}.",
            { BatchSize: < 1 } => $"--batch-size must be at least 1, not {recipe.BatchSize}.",
            { LearningRate: <= 0 or double.NaN } => $"--lr must be positive, not {recipe.LearningRate}.",
            { WeightDecay: < 0 } => $"--weight-decay must not be negative ({recipe.WeightDecay}).",
            { LabelSmoothing: < 0 or >= 1 } => $"--label-smoothing must be in [0, 1), not {recipe.LabelSmoothing}.",
            { ValidationSplit: < 0 or >= 1 or double.NaN } => $"--validation-split must be in [0, 1), not {recipe.ValidationSplit}.",
            { Patience: < 0 } => $"--patience must not be negative ({recipe.Patience}).",
            { ReduceLrPatience: < 0 } => $"--reduce-lr-patience must not be negative ({recipe.ReduceLrPatience}).",
            { ReduceLrFactor: <= 0 or >= 1 or double.NaN } => $"--reduce-lr-factor must be between 0 and 1, not {recipe.ReduceLrFactor}.",
            { MinLr: < 0 or double.NaN } => $"--min-lr must not be negative ({recipe.MinLr}).",
            { Ema: not (null or (> 0 and < 1)) } => $"--ema must be a decay between 0 and 1 such as 0.999, not {recipe.Ema}.",
            { Transfer: not null, Normalize: true } => "--normalize does not apply with --pretrained or --weights: the weights fix the preprocessing.",
            _ => null,
        };
        if (problem is not null) throw new ArgumentException(problem);
        WithOptionNames(recipe.Validate);
    }

    // Library messages that the command line words with its own option names.
    static readonly (string Library, string Cli)[] Renamed =
    [
        ("Class weights", "--class-weights"),
        ("Unknown schedule", "--schedule: unknown schedule"),
        ("The schedule's warmup fraction", "--schedule: the warmup fraction"),
        ("Transfer learning works on images held in memory, not streamed ones.", "--stream cannot be combined with --pretrained or --weights: leave out --stream."),
    ];

    /// <summary>Runs <paramref name="action"/>, rewording the library's argument errors with option names.</summary>
    public static T WithOptionNames<T>(Func<T> action)
    {
        try { return action(); }
        catch (ArgumentException e) when (Renamed.Any(r => e.Message.StartsWith(r.Library, StringComparison.Ordinal)))
        {
            var (library, cli) = Renamed.First(r => e.Message.StartsWith(r.Library, StringComparison.Ordinal));
            throw new ArgumentException(cli + e.Message[library.Length..], e);
        }
    }

    static void WithOptionNames(Action action) => WithOptionNames(() => { action(); return 0; });
}
