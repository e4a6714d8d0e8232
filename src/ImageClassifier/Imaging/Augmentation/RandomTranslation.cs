using static TorchSharp.torch;

namespace ImageClassifier.Imaging.Augmentation;

/// <summary>
/// Keras' RandomTranslation: each image shifted by its own fraction of its height (down when positive) and
/// of its width (right when positive), drawn from the two ranges, the uncovered side filled by <see cref="Fill"/>.
/// </summary>
public sealed class RandomTranslation : RandomAffine
{
    public RandomTranslation(double factor, FillMode fill = FillMode.Reflect, Interpolation interpolation = Interpolation.Bilinear, double fillValue = 0)
        : this(FactorRange.Symmetric(factor), FactorRange.Symmetric(factor), fill, interpolation, fillValue) { }

    public RandomTranslation(FactorRange height, FactorRange width, FillMode fill = FillMode.Reflect,
        Interpolation interpolation = Interpolation.Bilinear, double fillValue = 0) : base(fill, interpolation, fillValue)
    {
        Height = height.Check("vertical translation", -1, 1);
        Width = width.Check("horizontal translation", -1, 1);
    }

    public FactorRange Height { get; }
    public FactorRange Width { get; }

    protected override (Tensor Matrix, Tensor? Shift) Draw(Tensor images, AugmentationContext context)
    {
        long n = images.shape[0];
        using var down = AugmentationRandom.Uniform(context, n, Height.Lower, Height.Upper, images.device);
        using var right = AugmentationRandom.Uniform(context, n, Width.Lower, Width.Upper, images.device);
        // The output at p shows the input at p - shift.
        var shift = stack([right.mul(-images.shape[3]), down.mul(-images.shape[2])], 1);
        using var identity = eye(2, device: images.device);
        return (identity.unsqueeze(0).expand(n, 2, 2), shift);
    }

    public override string ToString() => $"translate(height {Height}, width {Width}, {FillName})";
}
