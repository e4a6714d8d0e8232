using static TorchSharp.torch;

namespace ImageClassifier.Imaging.Augmentation;

/// <summary>
/// torchvision's RandomErasing (Zhong et al. 2017): with probability <see cref="Probability"/> an image gets
/// one rectangle set to <see cref="Value"/>, covering a fraction of its area drawn from <see cref="Scale"/>
/// with an aspect ratio (height / width) drawn log-uniformly from <see cref="Ratio"/>. Where torchvision
/// retries a rectangle that does not fit, its sides are clipped to the image instead (one draw, batched).
/// </summary>
public sealed class RandomErasing : IBatchAugmentation
{
    public RandomErasing(double probability = 0.5, (double Min, double Max)? scale = null, (double Min, double Max)? ratio = null, double value = 0)
    {
        if (probability is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(probability), probability, "The erasing probability must be between 0 and 1.");
        Scale = scale ?? (0.02, 0.33);
        Ratio = ratio ?? (0.3, 3.3);
        if (Scale.Min <= 0 || Scale.Max > 1 || Scale.Min > Scale.Max)
            throw new ArgumentException($"The erased area must be a fraction range within (0, 1], not [{Scale.Min}, {Scale.Max}].");
        if (Ratio.Min <= 0 || Ratio.Min > Ratio.Max)
            throw new ArgumentException($"The erased aspect ratio must be a positive range, not [{Ratio.Min}, {Ratio.Max}].");
        Probability = probability;
        Value = value;
    }

    public double Probability { get; }
    public (double Min, double Max) Scale { get; }
    public (double Min, double Max) Ratio { get; }
    public double Value { get; }

    public (Tensor Images, Tensor Targets) Apply(Tensor images, Tensor targets, AugmentationContext context)
    {
        using var scope = NewDisposeScope();
        long n = images.shape[0], height = images.shape[2], width = images.shape[3];
        var device = images.device;
        var erase = AugmentationRandom.Chance(context, n, Probability, device);
        var area = AugmentationRandom.Uniform(context, n, Scale.Min, Scale.Max, device).mul_(height * width);
        var ratio = AugmentationRandom.Uniform(context, n, Math.Log(Ratio.Min), Math.Log(Ratio.Max), device).exp_();
        var h = area.mul(ratio).sqrt_().round_().clamp_(1, height);
        var w = area.div(ratio).sqrt_().round_().clamp_(1, width);
        var top = AugmentationRandom.Uniform(context, n, 0, 1, device).mul_(h.neg().add_(height + 1)).floor_();
        var left = AugmentationRandom.Uniform(context, n, 0, 1, device).mul_(w.neg().add_(width + 1)).floor_();
        var mask = Rectangle.Mask(top, left, h, w, height, width).logical_and_(erase.view(n, 1, 1, 1));
        return (images.masked_fill(mask, Value).MoveToOuterDisposeScope(), targets);
    }

    public override string ToString() => $"erase(p {Probability:0.##})";
}

/// <summary>Per-image rectangles as masks.</summary>
internal static class Rectangle
{
    /// <summary>[n, 1, H, W] true inside each image's rectangle (top, left, height, width given as [n] tensors).</summary>
    public static Tensor Mask(Tensor top, Tensor left, Tensor h, Tensor w, long height, long width)
    {
        long n = top.shape[0];
        var rows = arange(height, device: top.device).view(1, height);
        var columns = arange(width, device: top.device).view(1, width);
        var inRows = rows.ge(top.view(n, 1)).logical_and_(rows.lt(top.add(h).view(n, 1)));
        var inColumns = columns.ge(left.view(n, 1)).logical_and_(columns.lt(left.add(w).view(n, 1)));
        return inRows.view(n, 1, height, 1).logical_and(inColumns.view(n, 1, 1, width));
    }
}
