using ImageClassifier.Data.Loading;
using ImageClassifier.Imaging.Augmentation;
using ImageClassifier.Training.Checkpoints;

namespace ImageClassifier.Training;

/// <summary>How to train: the defaults follow the TensorFlow CNN tutorial (Adam 1e-3, batch 32), for up to 20 epochs (early stopping usually ends sooner). TrainingRecipe takes its defaults from here.</summary>
public sealed record TrainingOptions
{
    public int Epochs { get; init; } = 20;
    public int BatchSize { get; init; } = 32;
    /// <summary>adam, adamw or sgd.</summary>
    public string Optimizer { get; init; } = "adam";
    public double LearningRate { get; init; } = 1e-3;
    public double WeightDecay { get; init; }
    /// <summary>SGD only.</summary>
    public double Momentum { get; init; } = 0.9;
    /// <summary>SGD only.</summary>
    public bool Nesterov { get; init; }
    public double LabelSmoothing { get; init; }
    /// <summary>One weight per class for the loss (see ClassWeights.Balanced), or null.</summary>
    public float[]? ClassWeights { get; init; }
    public bool Shuffle { get; init; } = true;
    public int Seed { get; init; } = 42;
    /// <summary>Which items make an epoch and in what order; null: shuffled (or in order without Shuffle).</summary>
    public ISampler? Sampler { get; init; }
    /// <summary>Random transformations of each training batch; null: none.</summary>
    public IBatchAugmentation? Augmentation { get; init; }
    /// <summary>
    /// Discriminative learning rates: parameter-name prefix (e.g. "layers.resnet.layer3.") to a
    /// multiplier of <see cref="LearningRate"/>; the longest matching prefix wins, others get 1.
    /// </summary>
    public IReadOnlyDictionary<string, double>? LearningRateMultipliers { get; init; }
    /// <summary>Batch size for validation passes (no gradients, so larger is fine).</summary>
    public int ValidationBatchSize { get; init; } = 512;
    /// <summary>
    /// Continue from this checkpoint: weights, optimizer state, random state, history, callback states and the
    /// position in the epoch are restored after OnTrainBegin, and training goes on with the next batch.
    /// </summary>
    public TrainingCheckpoint? ResumeFrom { get; init; }

    public void Validate()
    {
        if (Epochs < 1) throw new ArgumentException($"Epochs must be at least 1, not {Epochs}.");
        if (BatchSize < 1) throw new ArgumentException($"Batch size must be at least 1, not {BatchSize}.");
        if (LearningRate <= 0 || double.IsNaN(LearningRate)) throw new ArgumentException($"Learning rate must be positive, not {LearningRate}.");
        if (LabelSmoothing is < 0 or >= 1) throw new ArgumentException($"Label smoothing must be in [0, 1), not {LabelSmoothing}.");
        if (LearningRateMultipliers?.Values.Any(m => m <= 0 || double.IsNaN(m)) == true)
            throw new ArgumentException("Learning-rate multipliers must be positive.");
        if (WeightDecay < 0) throw new ArgumentException($"Weight decay must not be negative ({WeightDecay}).");
    }
}
