using static TorchSharp.torch;

namespace ImageClassifier.Imaging.Augmentation;

/// <summary>
/// Keras' RandomTranslation: each image shifted by its own fraction of its height (down when positive) and
/// of its width (right when positive), drawn from the two ranges, the uncovered side filled by <see cref="Fill"/>.
/// </summary>
public sealed class RandomTranslation : IBatchAugmentation
{
    public RandomTranslation(double factor, FillMode fill = FillMode.Reflect, Interpolation interpolation = Interpolation.Bilinear, double fillValue = 0)
        : this(FactorRange.Symmetric(factor), FactorRange.Symmetric(factor), fill, interpolation, fillValue) { }

    public RandomTranslation(FactorRange height, FactorRange width, FillMode fill = FillMode.Reflect,
        Interpolation interpolation = Interpolation.Bilinear, double fillValue = 0)
    {
        Height = height.Check("vertical translation", -1, 1);
        Width = width.Check("horizontal translation", -1, 1);
        Fill = fill;
        Interpolation = interpolation;
        FillValue = fillValue;
    }

    public FactorRange Height { get; }
    public FactorRange Width { get; }
    public FillMode Fill { get; }
    public Interpolation Interpolation { get; }
    public double FillValue { get; }

    public (Tensor Images, Tensor Targets) Apply(Tensor images, Tensor targets, AugmentationContext context)
    {
        long n = images.shape[0];
        using var down = AugmentationRandom.Uniform(context, n, Height.Lower, Height.Upper, images.device);
        using var right = AugmentationRandom.Uniform(context, n, Width.Lower, Width.Upper, images.device);
        // The output at p shows the input at p - shift.
        using var shift = stack([right.mul(-images.shape[3]), down.mul(-images.shape[2])], 1);
        using var identity = eye(2, device: images.device);
        using var matrix = identity.unsqueeze(0).expand(n, 2, 2);
        return (AffineWarp.Apply(images, matrix, shift, Fill, FillValue, Interpolation), targets);
    }

    public override string ToString() => $"translate(height {Height}, width {Width}, {Fill.ToString().ToLowerInvariant()})";
}
