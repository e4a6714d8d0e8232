using static TorchSharp.torch;

namespace ImageClassifier.Imaging.Augmentation;

/// <summary>
/// Keras' RandomRotation: each image turned about its centre by its own angle, drawn from
/// <see cref="Range"/> as a fraction of a full turn (factor 0.1 = up to ±36°; positive is counter-clockwise),
/// with the uncovered corners filled by <see cref="Fill"/>.
/// </summary>
public sealed class RandomRotation : RandomAffine
{
    public RandomRotation(double factor, FillMode fill = FillMode.Reflect, Interpolation interpolation = Interpolation.Bilinear, double fillValue = 0)
        : this(FactorRange.Symmetric(factor), fill, interpolation, fillValue) { }

    public RandomRotation(FactorRange range, FillMode fill = FillMode.Reflect, Interpolation interpolation = Interpolation.Bilinear, double fillValue = 0)
        : base(fill, interpolation, fillValue) => Range = range.Check("rotation", -1, 1);

    public FactorRange Range { get; }

    protected override (Tensor Matrix, Tensor? Shift) Draw(Tensor images, AugmentationContext context)
    {
        using var turns = AugmentationRandom.Uniform(context, images.shape[0], Range.Lower, Range.Upper, images.device);
        using var angles = turns.mul(2 * Math.PI);
        return (AffineWarp.Rotations(angles), null);
    }

    public override string ToString() => $"rotate({Range} turn, {FillName})";
}
