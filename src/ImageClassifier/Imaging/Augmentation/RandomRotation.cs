using static TorchSharp.torch;

namespace ImageClassifier.Imaging.Augmentation;

/// <summary>
/// Keras' RandomRotation: each image turned about its centre by its own angle, drawn from
/// <see cref="Range"/> as a fraction of a full turn (factor 0.1 = up to ±36°; positive is counter-clockwise),
/// with the uncovered corners filled by <see cref="Fill"/>.
/// </summary>
public sealed class RandomRotation : IBatchAugmentation
{
    public RandomRotation(double factor, FillMode fill = FillMode.Reflect, Interpolation interpolation = Interpolation.Bilinear, double fillValue = 0)
        : this(FactorRange.Symmetric(factor), fill, interpolation, fillValue) { }

    public RandomRotation(FactorRange range, FillMode fill = FillMode.Reflect, Interpolation interpolation = Interpolation.Bilinear, double fillValue = 0)
    {
        Range = range.Check("rotation", -1, 1);
        Fill = fill;
        Interpolation = interpolation;
        FillValue = fillValue;
    }

    public FactorRange Range { get; }
    public FillMode Fill { get; }
    public Interpolation Interpolation { get; }
    public double FillValue { get; }

    public (Tensor Images, Tensor Targets) Apply(Tensor images, Tensor targets, AugmentationContext context)
    {
        using var turns = AugmentationRandom.Uniform(context, images.shape[0], Range.Lower, Range.Upper, images.device);
        using var angles = turns.mul(2 * Math.PI);
        using var matrix = AffineWarp.Rotations(angles);
        return (AffineWarp.Apply(images, matrix, null, Fill, FillValue, Interpolation), targets);
    }

    public override string ToString() => $"rotate({Range} turn, {Fill.ToString().ToLowerInvariant()})";
}
