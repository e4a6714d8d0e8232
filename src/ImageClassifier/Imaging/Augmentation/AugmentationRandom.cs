using static TorchSharp.torch;

namespace ImageClassifier.Imaging.Augmentation;

/// <summary>
/// Per-sample random parameters, all drawn from the context's seeded generator on the CPU (then moved to
/// the images' device), so a seed gives the same augmentations on any device.
/// </summary>
/// <remarks>
/// TorchSharp's own torchvision transforms are not used for the random part: they draw one decision per
/// call (a whole batch flips or none does) from the global generator or an unseeded System.Random.
/// </remarks>
internal static class AugmentationRandom
{
    /// <summary>[n] floats uniform in [low, high).</summary>
    public static Tensor Uniform(AugmentationContext context, long n, double low, double high, Device device)
    {
        using var unit = rand(n, generator: context.Generator);
        return unit.mul(high - low).add_(low).to(device);
    }

    /// <summary>[n] booleans, each true with probability <paramref name="p"/>.</summary>
    public static Tensor Chance(AugmentationContext context, long n, double p, Device device)
    {
        using var unit = rand(n, generator: context.Generator);
        return unit.lt(p).to(device);
    }

    /// <summary>[n] whole numbers uniform in [0, count).</summary>
    public static Tensor Below(AugmentationContext context, long n, long count, Device device)
    {
        using var unit = rand(n, dtype: ScalarType.Float64, generator: context.Generator);
        return unit.mul_(count).floor_().clamp_(0, count - 1).to(ScalarType.Int64).to(device);
    }

    /// <summary>[n] draws from Beta(alpha, alpha), as the ratio of two Gamma(alpha) draws.</summary>
    public static Tensor Beta(AugmentationContext context, long n, double alpha, Device device)
    {
        using var shape = full(n, alpha, ScalarType.Float64);
        using var a = _standard_gamma(shape, context.Generator);
        using var b = _standard_gamma(shape, context.Generator);
        using var sum = a.add(b);
        using var ratio = a.div(sum);
        // Two tiny gammas can both round to 0: call that an even mix rather than NaN.
        return ratio.nan_to_num(0.5).to(ScalarType.Float32).to(device);
    }

    /// <summary>A random permutation of the batch, pairing each sample with a partner.</summary>
    public static Tensor Partners(AugmentationContext context, long n, Device device) =>
        randperm(n, generator: context.Generator).to(device);
}
