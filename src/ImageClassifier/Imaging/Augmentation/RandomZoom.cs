using static TorchSharp.torch;

namespace ImageClassifier.Imaging.Augmentation;

/// <summary>
/// Keras' RandomZoom (one factor for both sides, so shapes keep their aspect): each image is scaled about
/// its centre so that it shows 1 + z times its height and width, z drawn from <see cref="Range"/>; negative z
/// zooms in (enlarges), positive zooms out, filling the border by <see cref="Fill"/>.
/// </summary>
public sealed class RandomZoom : IBatchAugmentation
{
    public RandomZoom(double factor, FillMode fill = FillMode.Reflect, Interpolation interpolation = Interpolation.Bilinear, double fillValue = 0)
        : this(FactorRange.Symmetric(factor), fill, interpolation, fillValue) { }

    public RandomZoom(FactorRange range, FillMode fill = FillMode.Reflect, Interpolation interpolation = Interpolation.Bilinear, double fillValue = 0)
    {
        Range = range.Check("zoom", -0.99, 10); // -1 would show a single point
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
        using var scale = AugmentationRandom.Uniform(context, images.shape[0], 1 + Range.Lower, 1 + Range.Upper, images.device);
        using var identity = eye(2, device: images.device);
        using var matrix = identity.unsqueeze(0).mul(scale.view(-1, 1, 1));
        return (AffineWarp.Apply(images, matrix, null, Fill, FillValue, Interpolation), targets);
    }

    public override string ToString() => $"zoom({Range}, {Fill.ToString().ToLowerInvariant()})";
}
