using static TorchSharp.torch;

namespace ImageClassifier.Imaging.Augmentation;

/// <summary>
/// Keras' RandomBrightness: each image gets its own offset drawn from <see cref="Range"/> (a fraction of the
/// [0, 1] value range) added to every pixel, then clipped to [0, 1].
/// </summary>
public sealed class RandomBrightness : IBatchAugmentation
{
    public RandomBrightness(double factor) : this(FactorRange.Symmetric(factor)) { }

    public RandomBrightness(FactorRange range) => Range = range.Check("brightness", -1, 1);

    public FactorRange Range { get; }

    public (Tensor Images, Tensor Targets) Apply(Tensor images, Tensor targets, AugmentationContext context)
    {
        using var offset = AugmentationRandom.Uniform(context, images.shape[0], Range.Lower, Range.Upper, images.device);
        return (images.add(offset.view(-1, 1, 1, 1)).clamp_(0, 1), targets);
    }

    public override string ToString() => $"brightness({Range})";
}
