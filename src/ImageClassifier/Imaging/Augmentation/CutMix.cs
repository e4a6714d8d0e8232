using static TorchSharp.torch;

namespace ImageClassifier.Imaging.Augmentation;

/// <summary>
/// CutMix (Yun et al. 2019): a rectangle of each image is replaced by the same rectangle of a partner from the
/// batch. The rectangle covers about 1 - l of the image, l drawn from Beta(alpha, alpha), centred anywhere and
/// clipped at the edges; the targets mix by the area actually pasted, so they say exactly how much of each
/// image is shown. Returns soft targets [B, classes] whose rows sum to 1.
/// </summary>
public sealed class CutMix : IBatchAugmentation
{
    public CutMix(double alpha = 1.0)
    {
        if (!(alpha > 0) || double.IsInfinity(alpha)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "CutMix's alpha must be a positive number, such as 1.");
        Alpha = alpha;
    }

    public double Alpha { get; }

    public (Tensor Images, Tensor Targets) Apply(Tensor images, Tensor targets, AugmentationContext context)
    {
        using var scope = NewDisposeScope();
        long n = images.shape[0], height = images.shape[2], width = images.shape[3];
        var device = images.device;
        var soft = SoftTargets.Of(targets, context.ClassCount).to(device);
        var keep = AugmentationRandom.Beta(context, n, Alpha, device);
        var partners = AugmentationRandom.Partners(context, n, device);
        var side = keep.neg().add_(1).sqrt_(); // the box's side as a fraction of the image's
        var centreY = AugmentationRandom.Uniform(context, n, 0, height, device);
        var centreX = AugmentationRandom.Uniform(context, n, 0, width, device);
        var top = centreY.sub(side.mul(height / 2.0)).round_().clamp_(0, height);
        var bottom = centreY.add(side.mul(height / 2.0)).round_().clamp_(0, height);
        var left = centreX.sub(side.mul(width / 2.0)).round_().clamp_(0, width);
        var right = centreX.add(side.mul(width / 2.0)).round_().clamp_(0, width);
        var mask = Rectangle.Mask(top, left, bottom.sub(top), right.sub(left), height, width);
        var pasted = where(mask, images.index_select(0, partners), images);
        var shown = bottom.sub(top).mul_(right.sub(left)).div_(height * width).neg_().add_(1).view(n, 1); // the share still its own
        var mixedTargets = soft.sub(soft.index_select(0, partners)).mul_(shown).add_(soft.index_select(0, partners));
        return (pasted.MoveToOuterDisposeScope(), mixedTargets.MoveToOuterDisposeScope());
    }

    public override string ToString() => $"cutmix(alpha {Alpha:0.###})";
}
