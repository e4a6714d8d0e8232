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
        Func<Tensor, Tensor> logitsFor = indices =>
        {
            using var features = train.Features.index_select(0, indices);
            return model.Network.Forward(features, baseLength, end);
        };
        Func<Tensor>? validationLogits = validation is null ? null : () =>
        {
            model.Network.eval();
            using var noGrad = no_grad();
            return model.Network.Forward(validation.Features, baseLength, end);
        };
        return Trainer.Run(model, train.Labels, validation?.Labels, options, logitsFor, validationLogits, callbacks);
    }
}
