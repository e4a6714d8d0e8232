using static TorchSharp.torch;

namespace ImageClassifier.Imaging.Augmentation;

/// <summary>
/// Keras' RandomContrast: each image's channels are stretched about their own mean by a factor drawn from
/// [1 - lower, 1 + upper] (factor 0.2: 0.8 to 1.2), then clipped to [0, 1].
/// </summary>
public sealed class RandomContrast : IBatchAugmentation
{
    public RandomContrast(double factor) : this(factor, factor) { }

    public RandomContrast(double lower, double upper)
    {
        var range = new FactorRange(-lower, upper).Check("contrast", -1, 10);
        Lower = -range.Lower;
        Upper = range.Upper;
    }

    public double Lower { get; }
    public double Upper { get; }

    public (Tensor Images, Tensor Targets) Apply(Tensor images, Tensor targets, AugmentationContext context)
    {
        using var factor = AugmentationRandom.Uniform(context, images.shape[0], 1 - Lower, 1 + Upper, images.device);
        using var mean = images.mean([2, 3], keepdim: true);
        var stretched = images.sub(mean); // returned: the in-place steps below keep this tensor
        return (stretched.mul_(factor.view(-1, 1, 1, 1)).add_(mean).clamp_(0, 1), targets);
    }

    public override string ToString() => Lower == Upper ? $"contrast(±{Upper:0.###})" : $"contrast(-{Lower:0.###}, +{Upper:0.###})";
}
