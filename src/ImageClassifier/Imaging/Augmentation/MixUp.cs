using static TorchSharp.torch;

namespace ImageClassifier.Imaging.Augmentation;

/// <summary>
/// MixUp (Zhang et al. 2018): each image is blended with a partner from the same batch, x = l x_i + (1 - l) x_j,
/// and so are its targets, with its own l drawn from Beta(alpha, alpha). Returns soft targets [B, classes]
/// whose rows sum to 1; the loss takes them.
/// </summary>
public sealed class MixUp : IBatchAugmentation
{
    public MixUp(double alpha = 0.2)
    {
        if (!(alpha > 0) || double.IsInfinity(alpha)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "MixUp's alpha must be a positive number, such as 0.2.");
        Alpha = alpha;
    }

    public double Alpha { get; }

    public (Tensor Images, Tensor Targets) Apply(Tensor images, Tensor targets, AugmentationContext context)
    {
        using var scope = NewDisposeScope();
        long n = images.shape[0];
        var soft = SoftTargets.Of(targets, context.ClassCount).to(images.device);
        var share = AugmentationRandom.Beta(context, n, Alpha, images.device);
        var partners = AugmentationRandom.Partners(context, n, images.device);
        var mixed = Blend(images, images.index_select(0, partners), share.view(n, 1, 1, 1));
        var mixedTargets = Blend(soft, soft.index_select(0, partners), share.view(n, 1));
        return (mixed.MoveToOuterDisposeScope(), mixedTargets.MoveToOuterDisposeScope());
    }

    // l a + (1 - l) b, written as b + l (a - b).
    static Tensor Blend(Tensor a, Tensor b, Tensor share) => a.sub(b).mul_(share).add_(b);

    public override string ToString() => $"mixup(alpha {Alpha:0.###})";
}
