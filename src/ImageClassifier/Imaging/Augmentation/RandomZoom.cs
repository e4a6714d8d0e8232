using static TorchSharp.torch;

namespace ImageClassifier.Imaging.Augmentation;

/// <summary>
/// Keras' RandomZoom (one factor for both sides, so shapes keep their aspect): each image is scaled about
/// its centre so that it shows 1 + z times its height and width, z drawn from <see cref="Range"/>; negative z
/// zooms in (enlarges), positive zooms out, filling the border by <see cref="Fill"/>.
/// </summary>
public sealed class RandomZoom : RandomAffine
{
    public RandomZoom(double factor, FillMode fill = FillMode.Reflect, Interpolation interpolation = Interpolation.Bilinear, double fillValue = 0)
        : this(FactorRange.Symmetric(factor), fill, interpolation, fillValue) { }

    public RandomZoom(FactorRange range, FillMode fill = FillMode.Reflect, Interpolation interpolation = Interpolation.Bilinear, double fillValue = 0)
        : base(fill, interpolation, fillValue) => Range = range.Check("zoom", -0.99, 10); // -1 would show a single point

    public FactorRange Range { get; }

    protected override (Tensor Matrix, Tensor? Shift) Draw(Tensor images, AugmentationContext context)
    {
        using var scale = AugmentationRandom.Uniform(context, images.shape[0], 1 + Range.Lower, 1 + Range.Upper, images.device);
        using var identity = eye(2, device: images.device);
        return (identity.unsqueeze(0).mul(scale.view(-1, 1, 1)), null);
    }

    public override string ToString() => $"zoom({Range}, {FillName})";
}
