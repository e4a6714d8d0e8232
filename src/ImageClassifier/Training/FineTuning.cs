using ImageClassifier.Data;
using ImageClassifier.Models;
using ImageClassifier.Training.Callbacks;

namespace ImageClassifier.Training;

/// <summary>The two stages of transfer learning: head only on a frozen base, then fine-tuning from a part onward.</summary>
public sealed record FineTuningOptions
{
    /// <summary>Epochs of stage 1: the base frozen, only the head trains; null: the training options' epochs.</summary>
    public int? FreezeEpochs { get; init; }
    /// <summary>Epochs of stage 2 (0: no fine-tuning).</summary>
    public int FineTuneEpochs { get; init; }
    /// <summary>Stage 2's learning rate: low, so the pretrained weights move little (Keras' guide uses 1e-5 with Adam).</summary>
    public double FineTuneLearningRate { get; init; } = 1e-5;
    /// <summary>The part trained from in stage 2 (layer3, an index, ...); null: the whole network.</summary>
    public string? FineTuneAt { get; init; }
    /// <summary>Discriminative rates in stage 2: each backbone stage gets this factor times the rate of the one after it.</summary>
    public double? DiscriminativeFactor { get; init; }
    /// <summary>
    /// Stage 2 lets BatchNorm layers use and update batch statistics. Off by default: as Keras'
    /// guide recommends, they stay in inference mode, because batch statistics of a small new dataset
    /// differ from the pretrained moving averages and would undo what the base has learned.
    /// </summary>
    public bool TrainBatchNorm { get; init; }
    /// <summary>Stage 1 on features cached once (fast), instead of running the frozen base every epoch.</summary>
    public bool CacheFeatures { get; init; } = true;

    public void Validate()
    {
        if (FreezeEpochs < 1) throw new ArgumentException($"Freeze epochs must be at least 1, not {FreezeEpochs}.");
        if (FineTuneEpochs < 0) throw new ArgumentException($"Fine-tune epochs must not be negative ({FineTuneEpochs}).");
        if (FineTuneLearningRate <= 0 || double.IsNaN(FineTuneLearningRate)) throw new ArgumentException($"The fine-tuning learning rate must be positive, not {FineTuneLearningRate}.");
        if (DiscriminativeFactor is <= 0 or > 1) throw new ArgumentException($"The discriminative factor must be in (0, 1], not {DiscriminativeFactor}.");
    }
}

/// <summary>What one stage did, and the parameter counts it trained with.</summary>
public sealed record StageResult(string Stage, History History, long TrainableParameters, long NonTrainableParameters, string? TrainableFrom, double? FeatureImagesPerSecond = null);

/// <summary>
/// Runs transfer learning as Keras' guide describes it: train the new head with the base frozen,
/// then unfreeze from a part onward and train on with a low learning rate (optionally lower still
/// for earlier stages). Frozen BatchNorm layers stay in inference mode throughout.
/// </summary>
public static class FineTuning
{
    /// <summary>
    /// While the whole network trains in bfloat16, activations of 8 MB or more are mapped and unmapped rather than kept in the
    /// heap (TorchRuntime.MapBuffersFrom): at 224 px and batch 32 the heap's holes between ResNet18's activations added ~150 MB
    /// to the peak, and mapping costs about 5% of the speed. In float32 twice the bytes cross that line and the page faults
    /// cost 25-35% of the speed (for 600 MB), so float32 keeps the heap (measured: docs/BENCHMARKS.md).
    /// </summary>
    public static IDisposable? LighterActivations() =>
        Engine.ComputePrecision.BFloat16 ? Engine.TorchRuntime.MapBuffersFrom(8 << 20) : null;

    /// <param name="callbacks">Fresh callbacks for a stage ("head" or "fine-tune").</param>
    public static IReadOnlyList<StageResult> Train(Classifier model, ImageDataset train, ImageDataset? validation,
        TrainingOptions options, FineTuningOptions stages, Func<string, IEnumerable<Callback>> callbacks, Action<string>? log = null)
    {
        stages.Validate();
        model.Network.CheckPartName(stages.FineTuneAt);
        var results = new List<StageResult>();

        var summary = model.Summary();
        log?.Invoke($"Stage 1, head only: {summary.Trainable:N0} trainable, {summary.NonTrainable:N0} frozen parameters");
        var headOptions = options with { Epochs = stages.FreezeEpochs ?? options.Epochs };
        if (stages.CacheFeatures && FeatureCache.FrozenBaseLength(model.Network) > 0)
        {
            using var trainFeatures = FeatureCache.Compute(model, train);
            using var validationFeatures = validation is { Count: > 0 } ? FeatureCache.Compute(model, validation) : null;
            log?.Invoke($"Cached base features of {train.Count + (validation?.Count ?? 0):N0} images at {trainFeatures.ImagesPerSecond:N0} images/s");
            var history = model.FitHead(trainFeatures, validationFeatures, headOptions, callbacks("head"));
            results.Add(new StageResult("head", history, summary.Trainable, summary.NonTrainable, model.Spec.TrainableFrom, trainFeatures.ImagesPerSecond));
        }
        else
        {
            var history = model.Fit(train, validation, headOptions, callbacks("head"));
            results.Add(new StageResult("head", history, summary.Trainable, summary.NonTrainable, model.Spec.TrainableFrom));
        }
        if (stages.FineTuneEpochs == 0) return results;
        Engine.TorchRuntime.ReleaseFreedMemory();   // the cached features' buffers are no use to fine-tuning

        model.Network.SetTrainableFrom(stages.FineTuneAt ?? "all");
        model.Network.SetBatchNormInference(!stages.TrainBatchNorm);
        summary = model.Summary();
        log?.Invoke($"Stage 2, fine-tuning from {model.Spec.TrainableFrom ?? "the first layer"}: {summary.Trainable:N0} trainable, {summary.NonTrainable:N0} frozen parameters" +
            (stages.TrainBatchNorm ? "" : "; batch norm in inference mode"));
        var fineOptions = options with
        {
            Epochs = stages.FineTuneEpochs,
            LearningRate = stages.FineTuneLearningRate,
            LearningRateMultipliers = stages.DiscriminativeFactor is double factor ? DiscriminativeMultipliers(model.Network, factor) : null,
        };
        History fineHistory;
        using (LighterActivations())
            fineHistory = model.Fit(train, validation, fineOptions, callbacks("fine-tune"));
        results.Add(new StageResult("fine-tune", fineHistory, summary.Trainable, summary.NonTrainable, model.Spec.TrainableFrom));
        return results;
    }

    /// <summary>
    /// Learning-rate multipliers per trainable part: the head (every part after the last backbone stage)
    /// at 1, the last backbone stage at factor, the one before at factor², and so on (as fastai's
    /// discriminative rates, ULMFiT's 1/2.6 per layer).
    /// </summary>
    public static Dictionary<string, double> DiscriminativeMultipliers(SequentialNetwork network, double factor)
    {
        var trainable = network.Parts().Where(p => p.Module.parameters().Any(q => q.requires_grad)).ToList();
        var backbone = trainable.Where(p => network.Layers.Any(l => l.Module is IStagedModule && p.KeyPrefix.StartsWith(SequentialNetwork.KeyPrefix(l), StringComparison.Ordinal))).ToList();
        var multipliers = new Dictionary<string, double>();
        for (int i = 0; i < backbone.Count; i++)
            multipliers[backbone[i].KeyPrefix] = Math.Pow(factor, backbone.Count - i);
        return multipliers;
    }
}
