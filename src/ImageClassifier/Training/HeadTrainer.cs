using ImageClassifier.Data.Loading;
using ImageClassifier.Models;
using ImageClassifier.Training.Callbacks;
using static TorchSharp.torch;

namespace ImageClassifier.Training;

/// <summary>
/// Trains only the head of a model on cached base features, with the same loop, options, logs and
/// callbacks as <see cref="Trainer.Fit"/> (history, early stopping, checkpoints of the whole model).
/// </summary>
public static class HeadTrainer
{
    public static History FitHead(this Classifier model, FeatureCache train, FeatureCache? validation = null,
        TrainingOptions? options = null, params IEnumerable<Callback> callbacks)
    {
        options ??= new TrainingOptions();
        options.Validate();
        int baseLength = FeatureCache.FrozenBaseLength(model.Network);
        foreach (var cache in new[] { train, validation }.OfType<FeatureCache>())
            if (cache.BaseLength != baseLength)
                throw new ModelException($"The features were computed through {cache.BaseLength} layers, but the model's frozen base is now {baseLength} layers: compute them again.");
        int end = model.Network.Layers.Count;
        manual_seed(options.Seed);
        Func<Tensor>? validationLogits = validation is null ? null : () =>
        {
            model.Network.eval();
            using var noGrad = no_grad();
            return model.Network.Forward(validation.Features, baseLength, end);
        };
        // The cached features stand in for images: batches of them run through the head alone.
        IEnumerable<Batch> Batches(ISampler sampler, int epoch)
        {
            int[] order = sampler.Order((int)train.Labels.shape[0], epoch);
            for (int start = 0; start < order.Length; start += options.BatchSize)
            {
                using var indices = tensor(order.Skip(start).Take(options.BatchSize).Select(i => (long)i).ToArray());
                yield return new Batch(train.Features.index_select(0, indices), train.Labels.index_select(0, indices));
            }
        }
        return Trainer.Run(model, (int)train.Labels.shape[0], validation?.Labels, options, Batches,
            (batch, _) => (model.Network.Forward(batch.Images, baseLength, end), batch.Labels),
            validationLogits, callbacks, model.ClassNames.Count);
    }
}
