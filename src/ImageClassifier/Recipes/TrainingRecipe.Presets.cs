namespace ImageClassifier.Recipes;

public sealed partial record TrainingRecipe
{
    /// <summary>
    /// Named starting points for a recipe (<c>imgclass train --preset NAME</c>); options given with a preset change it.
    /// tutorial: the defaults, the TensorFlow CNN tutorial's model and optimiser with early stopping.
    /// fast: the most accuracy per CPU-minute on small images: resnet-fast (a ResNet-9 of 16/32/64/128 filters pooled
    /// before each later stage, 413k parameters), convolutions in bfloat16 where the CPU has it natively, standardised
    /// inputs, SGD with Nesterov momentum 0.9 and weight decay 5e-4 at batch 128, a one-cycle schedule peaking at 0.2 after 25% of the steps, label smoothing 0.1, random
    /// 2-pixel crops and horizontal flips, every training image used (no validation split) and flip test-time
    /// augmentation; 15 epochs unless a time budget fits them.
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
            Augment = "crop=2,flip", Tta = "flip", Precision = "auto",
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
}
