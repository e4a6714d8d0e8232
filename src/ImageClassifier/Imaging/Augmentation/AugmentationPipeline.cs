using static TorchSharp.torch;

namespace ImageClassifier.Imaging.Augmentation;

/// <summary>Augmentations applied one after another (torchvision's Compose, a stack of Keras preprocessing layers).</summary>
public sealed class AugmentationPipeline(params IReadOnlyList<IBatchAugmentation> steps) : IBatchAugmentation
{
    public IReadOnlyList<IBatchAugmentation> Steps { get; } = steps;

    public (Tensor Images, Tensor Targets) Apply(Tensor images, Tensor targets, AugmentationContext context)
    {
        var (x, y) = (images.alias(), targets.alias());
        foreach (var step in Steps)
        {
            var (nextImages, nextTargets) = step.Apply(x, y, context);
            if (!ReferenceEquals(nextImages, x)) x.Dispose();
            if (!ReferenceEquals(nextTargets, y)) y.Dispose();
            (x, y) = (nextImages, nextTargets);
        }
        return (x, y);
    }

    /// <summary>Whether a step mixes images and their labels (MixUp, CutMix), which a model layer cannot do.</summary>
    public bool MixesLabels => Steps.Any(s => s is MixUp or CutMix || s is AugmentationPipeline { MixesLabels: true });

    public override string ToString() => Steps.Count == 0 ? "none" : string.Join(", ", Steps);
}
