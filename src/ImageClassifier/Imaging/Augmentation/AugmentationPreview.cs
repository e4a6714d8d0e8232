using static TorchSharp.torch;

namespace ImageClassifier.Imaging.Augmentation;

/// <summary>Augmented versions of one image, to see what an augmentation spec does before training with it.</summary>
public static class AugmentationPreview
{
    /// <summary><paramref name="count"/> augmented copies of <paramref name="image"/> as planar bytes, seeded.</summary>
    public static IReadOnlyList<byte[]> Make(DecodedImage image, IBatchAugmentation augmentation, int count, int seed)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "A preview needs at least one image.");
        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)seed);
        var one = tensor(image.Pixels, [1, image.Channels, image.Height, image.Width]).to_type(ScalarType.Float32).div_(255);
        var batch = one.expand(count, image.Channels, image.Height, image.Width).contiguous();
        var labels = zeros(count, ScalarType.Int64);
        var (augmented, _) = augmentation.Apply(batch, labels, new AugmentationContext(1, generator));
        var bytes = augmented.mul(255).round_().clamp_(0, 255).to_type(ScalarType.Byte).contiguous();
        int size = image.Pixels.Length;
        var all = bytes.data<byte>().ToArray();
        return Enumerable.Range(0, count).Select(i => all.AsSpan(i * size, size).ToArray()).ToArray();
    }
}
