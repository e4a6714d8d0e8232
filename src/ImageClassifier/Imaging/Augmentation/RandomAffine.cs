using static TorchSharp.torch;

namespace ImageClassifier.Imaging.Augmentation;

/// <summary>
/// What Keras' geometric preprocessing layers share: each image gets its own affine transform (drawn by
/// the subclass), applied about the centre with the uncovered area filled by <see cref="Fill"/>.
/// </summary>
public abstract class RandomAffine(FillMode fill, Interpolation interpolation, double fillValue) : IBatchAugmentation
{
    public FillMode Fill { get; } = fill;
    public Interpolation Interpolation { get; } = interpolation;
    public double FillValue { get; } = fillValue;

    /// <summary>Per-image 2x2 matrices [N, 2, 2] and, optionally, shifts in pixels [N, 2] (x, y).</summary>
    protected abstract (Tensor Matrix, Tensor? Shift) Draw(Tensor images, AugmentationContext context);

    public (Tensor Images, Tensor Targets) Apply(Tensor images, Tensor targets, AugmentationContext context)
    {
        var (matrix, shift) = Draw(images, context);
        using (matrix)
        using (shift)
            return (AffineWarp.Apply(images, matrix, shift, Fill, FillValue, Interpolation), targets);
    }

    protected string FillName => Fill.ToString().ToLowerInvariant();
}
