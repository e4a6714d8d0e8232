using static TorchSharp.torch;

namespace ImageClassifier.Imaging.Augmentation;

/// <summary>
/// A random transformation of a training batch, applied only in training. Images are float
/// [B, C, H, W] in [0, 1] (before any mean/std normalisation); targets are int64 class indices [B]
/// or float soft targets [B, classes] (MixUp and CutMix produce the latter).
/// </summary>
public interface IBatchAugmentation
{
    (Tensor Images, Tensor Targets) Apply(Tensor images, Tensor targets, AugmentationContext context);
}

/// <summary>What an augmentation may need: the number of classes and the seeded random generator.</summary>
public sealed record AugmentationContext(int ClassCount, Generator Generator);
