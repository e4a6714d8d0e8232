using ImageClassifier.Imaging.Augmentation;
using static TorchSharp.torch;

namespace ImageClassifier.Tests.Imaging.Augmentation;

/// <summary>Batches with known contents for the augmentation tests.</summary>
static class AugmentationTestData
{
    /// <summary>[n, c, h, w] random values in [low, high), seeded.</summary>
    public static Tensor Random(long n, long c, long h, long w, int seed = 1, double low = 0, double high = 1)
    {
        using var generator = new Generator((ulong)seed);
        return rand([n, c, h, w], generator: generator).mul_(high - low).add_(low);
    }

    public static AugmentationContext Context(int seed = 7, int classes = 10) => new(classes, new Generator((ulong)seed));

    public static Tensor Labels(long n, int classes = 10) => arange(n, dtype: ScalarType.Int64).remainder(classes);

    public static (Tensor Images, Tensor Targets) Run(IBatchAugmentation augmentation, Tensor images, Tensor? labels = null, int seed = 7, int classes = 10) =>
        augmentation.Apply(images, labels ?? Labels(images.shape[0], classes), Context(seed, classes));

    public static float MaxDifference(Tensor a, Tensor b) => a.sub(b).abs().max().item<float>();
}
