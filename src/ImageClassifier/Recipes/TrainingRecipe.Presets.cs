namespace ImageClassifier.Recipes;

public sealed partial record TrainingRecipe
{
    /// <summary>
    /// Named starting points for a recipe (<c>imgclass train --preset NAME</c>); options given with a preset change it.
    /// tutorial: the defaults, the TensorFlow CNN tutorial's model and optimiser with early stopping.
    /// fast: the most accuracy per CPU-minute on small images: resnet-fast (a ResNet-9 of 16/32/64/128 filters pooled
    /// before each later stage, 413k parameters), convolutions in bfloat16 where the CPU has it natively, standardised
    /// inputs, SGD with Nesterov momentum 0.9 and weight decay 5e-4 at batch 128, a one-cycle schedule peaking at 0.2 after 25% of the steps, label smoothing 0.1, random
    /// 2-pixel crops and horizontal flips, every training image used (no validation split) and test-time
    /// augmentation over flips and 1-pixel shifts; 15 epochs unless a time budget fits them, and the wider
    /// resnet-fast-wide from a budget of 8 minutes (<see cref="Preset(string, TimeSpan)"/>).
    /// fine-tune: transfer learning that adapts the whole network, for small folders of images (a few thousand):
    /// ImageNet ResNet18 at 160 px, the head trained 3 epochs on cached features, then every layer fine-tuned for 10
    /// epochs with batch norm learning the new images' statistics, Adam on a one-cycle schedule peaking at 5e-4 with
    /// each earlier backbone stage at half the rate of the one after it, label smoothing 0.1, flips, 12-pixel crops and
    /// random erasing, bfloat16 where the CPU has it and flip test-time augmentation.
    /// </summary>
    public static IReadOnlyDictionary<string, TrainingRecipe> Presets { get; } = new Dictionary<string, TrainingRecipe>(StringComparer.OrdinalIgnoreCase)
    {
        ["tutorial"] = Default,
        ["fast"] = Default with
        {
            Model = "resnet-fast", Epochs = 15, BatchSize = 128, Optimizer = "sgd", LearningRate = 0.2, Momentum = 0.9, Nesterov = true,
            WeightDecay = 5e-4, LabelSmoothing = 0.1, Normalize = true, ValidationSplit = 0, Schedule = "one-cycle",
            Augment = "crop=2,flip", Tta = "flip,shift", Precision = "auto",
        },
        ["fine-tune"] = Default with
        {
            Transfer = new TransferRecipe
            {
                Pretrained = "resnet18-imagenet", InputHeight = 160,
                Stages = new() { FreezeEpochs = 3, FineTuneEpochs = 10, FineTuneLearningRate = 5e-4, DiscriminativeFactor = 0.5, TrainBatchNorm = true },
            },
            Schedule = "one-cycle", LabelSmoothing = 0.1, Augment = "flip,crop=12,erase", Tta = "flip", Precision = "auto",
        },
    };

    /// <summary>The preset named <paramref name="name"/> (see <see cref="Presets"/>).</summary>
    public static TrainingRecipe Preset(string name) => Presets.TryGetValue(name, out var recipe) ? recipe
        : throw new ArgumentException($"Unknown preset '{name}'. Known: {string.Join(", ", Presets.Keys)}.");

    /// <summary>
    /// The preset named <paramref name="name"/> fitted to a wall-clock <paramref name="budget"/> (<c>--preset NAME --budget B</c>):
    /// given <see cref="WideFastBudget"/> or more, fast trains resnet-fast-wide (1.5 times the width), which the longer
    /// budget leaves enough epochs to pay for; below it, resnet-fast.
    /// </summary>
    public static TrainingRecipe Preset(string name, TimeSpan budget)
    {
        var recipe = Preset(name) with { BudgetSeconds = budget.TotalSeconds };
        return name.Equals("fast", StringComparison.OrdinalIgnoreCase) && budget >= WideFastBudget ? recipe with { Model = "resnet-fast-wide" } : recipe;
    }

    /// <summary>
    /// The budget from which the fast preset trains the wider network. On a 2-core Zen 4, 10 minutes fit 17 of its epochs
    /// (29 of resnet-fast's, whose accuracy levels off after about 15); 5 minutes would fit about 8.
    /// </summary>
    public static TimeSpan WideFastBudget { get; } = TimeSpan.FromMinutes(8);
}
