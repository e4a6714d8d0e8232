using System.Diagnostics;
using ImageClassifier.Data;
using ImageClassifier.Evaluation;
using ImageClassifier.Models;
using ImageClassifier.Models.Layers;
using static TorchSharp.torch;

namespace ImageClassifier.Training;

/// <summary>
/// The outputs of a model's frozen base (its leading layers without trainable weights, e.g. a
/// frozen ResNet and its global pooling) for a whole dataset, computed once in inference mode. The
/// head then trains on these features (<see cref="HeadTrainer"/>) in a fraction of the time a pass
/// through the backbone takes. Exact, because a frozen base in inference mode (frozen BatchNorm
/// included) is a fixed function of the image; it stops before any Dropout, which is not.
/// </summary>
public sealed class FeatureCache : IDisposable
{
    FeatureCache(Tensor features, Tensor labels, int baseLength, double imagesPerSecond)
    {
        Features = features;
        Labels = labels;
        BaseLength = baseLength;
        ImagesPerSecond = imagesPerSecond;
    }

    /// <summary>[N, ...] features on the model's device.</summary>
    public Tensor Features { get; }
    public Tensor Labels { get; }
    /// <summary>The number of leading layers the features went through; the head is the rest.</summary>
    public int BaseLength { get; }
    /// <summary>How fast the base ran.</summary>
    public double ImagesPerSecond { get; }
    public int Count => (int)Labels.shape[0];

    /// <summary>The leading layers that have no trainable weights and behave the same in training and inference.</summary>
    public static int FrozenBaseLength(SequentialNetwork network)
    {
        int length = 0;
        foreach (var layer in network.Layers)
        {
            if (layer.Spec is Dropout || layer.Module.parameters().Any(p => p.requires_grad)) break;
            length++;
        }
        return length;
    }

    public static FeatureCache Compute(Classifier model, ImageDataset data, int batchSize = 64)
    {
        int baseLength = FrozenBaseLength(model.Network);
        if (baseLength == 0) throw new ModelException("The model's first layer is trainable: there is no frozen base whose features could be cached.");
        if (data.Count == 0) throw new DatasetException($"Dataset '{data.Name}' is empty: no features to compute.");
        if (!model.TakesChannels(data.Shape.Channels))
            throw new ModelException($"Dataset '{data.Name}' holds {data.Shape} images but the model takes {model.InputShape}.");
        var clock = Stopwatch.StartNew();
        var features = model.Map(data, batch => model.Network.Forward(model.Input(batch), 0, baseLength), batchSize, model.Device);
        double rate = data.Count / clock.Elapsed.TotalSeconds;
        var labels = tensor(data.Labels.Select(l => (long)l).ToArray()).to(model.Device);
        return new FeatureCache(features, labels, baseLength, rate);
    }

    public void Dispose()
    {
        Features.Dispose();
        Labels.Dispose();
    }
}
