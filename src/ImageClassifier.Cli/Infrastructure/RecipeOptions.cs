using System.CommandLine;
using ImageClassifier.Models;
using ImageClassifier.Recipes;

namespace ImageClassifier.Cli.Infrastructure;

/// <summary>
/// The options that fill a <see cref="TrainingRecipe"/> (train and cv share them). Their defaults are the
/// recipe's own, so the command line and the library cannot drift apart.
/// </summary>
public sealed class RecipeOptions
{
    static readonly TrainingRecipe Defaults = TrainingRecipe.Default;

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

    public RecipeOptions() => Monitor.AcceptOnlyFromAmong("val_loss", "val_accuracy");

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Model, Epochs, BatchSize, Lr, Optimizer, WeightDecay, Momentum, Nesterov, LabelSmoothing, ClassWeights, Normalize, ValidationSplit, Monitor, Patience, ReduceLrFactor, ReduceLrPatience, MinLr })
            command.Options.Add(option);
    }

    /// <summary>The recipe the options describe; bad values fail here with the option's name.</summary>
    public TrainingRecipe Recipe(ParseResult parse, int seed, FeedOptions feed, TransferOptions? transfer = null, (int Height, int Width)? imageSize = null)
    {
        var recipe = new TrainingRecipe
        {
            Model = parse.GetValue(Model)!, Epochs = parse.GetValue(Epochs), BatchSize = parse.GetValue(BatchSize),
            LearningRate = parse.GetValue(Lr), Optimizer = parse.GetValue(Optimizer)!, WeightDecay = parse.GetValue(WeightDecay),
            Momentum = parse.GetValue(Momentum), Nesterov = parse.GetValue(Nesterov), LabelSmoothing = parse.GetValue(LabelSmoothing),
            ClassWeights = parse.GetValue(ClassWeights), Normalize = parse.GetValue(Normalize), Seed = seed,
            ValidationSplit = parse.GetValue(ValidationSplit), Monitor = parse.GetValue(Monitor)!, Patience = parse.GetValue(Patience),
            ReduceLrFactor = parse.GetValue(ReduceLrFactor), ReduceLrPatience = parse.GetValue(ReduceLrPatience), MinLr = parse.GetValue(MinLr),
            Augment = parse.GetValue(feed.Augment), RareAugment = parse.GetValue(feed.RareAugment), Oversample = parse.GetValue(feed.Oversample),
            Transfer = transfer?.Recipe(parse, imageSize),
        };
        Check(recipe);
        return recipe;
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
