using ImageClassifier.Models;
using ImageClassifier.Training.Checkpoints;
using static TorchSharp.torch;

namespace ImageClassifier.Training.Callbacks;

/// <summary>What callbacks may see and change while a model trains.</summary>
public sealed class TrainingContext(Classifier model, optim.Optimizer optimizer, TrainingOptions options, int trainCount, bool hasValidation)
{
    public Classifier Model { get; } = model;
    /// <summary>The optimizer (its state goes into checkpoints).</summary>
    public optim.Optimizer Optimizer { get; } = optimizer;
    public TrainingOptions Options { get; } = options;
    public History History { get; } = new();
    public int TrainCount { get; } = trainCount;
    public bool HasValidation { get; } = hasValidation;
    public int StepsPerEpoch => (TrainCount + Options.BatchSize - 1) / Options.BatchSize;

    /// <summary>The epochs the run plans: the options' at first; a time budget may re-plan them once it has measured the speed.</summary>
    public int Epochs { get; set; } = options.Epochs;

    /// <summary>The batches of the last planned epoch when a time budget cuts it short; null: the whole epoch.</summary>
    public int? LastEpochSteps { get; set; }

    /// <summary>The steps the run plans (what a learning-rate schedule spreads over): every epoch's, the last one's perhaps cut short.</summary>
    public long PlannedSteps => (long)(Epochs - 1) * StepsPerEpoch + Math.Min(LastEpochSteps ?? StepsPerEpoch, StepsPerEpoch);

    /// <summary>Set by a callback to end training after the current batch or epoch.</summary>
    public bool StopTraining { get; set; }

    /// <summary>Why training stopped early, in words, when a callback stopped it.</summary>
    public string? StopReason { get; set; }

    /// <summary>The epoch whose weights the model holds at the end (set when best weights are restored).</summary>
    public int? RestoredEpoch { get; set; }

    /// <summary>Where training stands (epoch, batch, running sums), kept by the training loop after every batch.</summary>
    public TrainingPosition Position { get; } = new();

    /// <summary>Every callback of the run, in order (a checkpoint saves the state of those that have one).</summary>
    public IReadOnlyList<Callback> Callbacks { get; internal set; } = [];

    /// <summary>The generator that batch augmentation draws from (null without augmentation).</summary>
    public Generator? AugmentationGenerator { get; internal set; }

    /// <summary>Every generator the run draws from, by a stable name: the global one (dropout), augmentation's, each augmentation layer's.</summary>
    internal IEnumerable<(string Name, Generator Generator)> RandomGenerators()
    {
        yield return ("global", Generator.Default);
        if (AugmentationGenerator is { } augmentation) yield return ("augmentation", augmentation);
        int layer = 0;
        foreach (var module in Model.Network.modules().OfType<Models.Layers.AugmentationModule>())
            yield return ($"layer{layer++}", module.Generator);
    }

    /// <summary>True when this run continues from a checkpoint (set before OnTrainBegin).</summary>
    public bool Resuming { get; internal set; }

    public double LearningRate
    {
        get => Optimizers.GetLearningRate(Optimizer);
        set => Optimizers.SetLearningRate(Optimizer, value);
    }
}
