using static TorchSharp.torch;

namespace ImageClassifier.Imaging.Augmentation;

/// <summary>Which way <see cref="RandomFlip"/> mirrors images.</summary>
public enum FlipMode { Horizontal, Vertical, HorizontalAndVertical }

/// <summary>
/// Keras' RandomFlip: each image is mirrored left-right (and/or top-bottom) with probability 0.5, each
/// image and axis drawn on its own.
/// </summary>
public sealed class RandomFlip(FlipMode mode = FlipMode.Horizontal, double probability = 0.5) : IBatchAugmentation
{
    public FlipMode Mode { get; } = mode;
    public double Probability { get; } = probability is >= 0 and <= 1 ? probability
        : throw new ArgumentOutOfRangeException(nameof(probability), probability, "A flip probability must be between 0 and 1.");

    public (Tensor Images, Tensor Targets) Apply(Tensor images, Tensor targets, AugmentationContext context)
    {
        var result = images;
        if (Mode != FlipMode.Vertical) result = FlipSome(result, 3, context);
        if (Mode != FlipMode.Horizontal) result = FlipSome(result, 2, context);
        return (ReferenceEquals(result, images) ? images.alias() : result, targets);
    }

    Tensor FlipSome(Tensor images, long dim, AugmentationContext context)
    {
        using var chosen = AugmentationRandom.Chance(context, images.shape[0], Probability, images.device);
        using var flipped = images.flip(dim);
        return where(chosen.view(-1, 1, 1, 1), flipped, images);
    }

    public override string ToString() => Mode switch
    {
        FlipMode.Horizontal => "flip(horizontal)",
        FlipMode.Vertical => "flip(vertical)",
        _ => "flip(horizontal and vertical)",
    };
}
