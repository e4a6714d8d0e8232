using TorchSharp;
using static TorchSharp.torch;

namespace ImageClassifier.Imaging.Augmentation;

/// <summary>
/// torchvision's RandomCrop with padding, the classic CIFAR augmentation: each image is padded by
/// <see cref="Padding"/> pixels on every side (zeros, or a reflection) and cut back to its own size at a
/// random offset, i.e. shifted by whole pixels (up to ±Padding), with no resampling.
/// </summary>
public sealed class RandomCrop : IBatchAugmentation
{
    public RandomCrop(int padding, bool reflect = false)
    {
        if (padding < 1) throw new ArgumentOutOfRangeException(nameof(padding), padding, "Crop padding must be at least 1 pixel.");
        Padding = padding;
        Reflect = reflect;
    }

    public int Padding { get; }
    public bool Reflect { get; }

    public (Tensor Images, Tensor Targets) Apply(Tensor images, Tensor targets, AugmentationContext context)
    {
        using var scope = NewDisposeScope();
        long n = images.shape[0], channels = images.shape[1], height = images.shape[2], width = images.shape[3];
        if (Reflect && Padding >= Math.Min(height, width))
            throw new ArgumentException($"Reflect padding of {Padding} pixels needs images larger than {Padding} pixels a side, not {height}x{width}.");
        var padded = nn.functional.pad(images, [Padding, Padding, Padding, Padding], Reflect ? PaddingModes.Reflect : PaddingModes.Constant, 0);
        var top = AugmentationRandom.Below(context, n, 2 * Padding + 1, images.device);
        var left = AugmentationRandom.Below(context, n, 2 * Padding + 1, images.device);
        // Gather the chosen rows, then the chosen columns: exact integer indexing per image.
        var rows = top.view(n, 1).add(arange(height, device: images.device)).view(n, 1, height, 1).expand(n, channels, height, width + 2 * Padding);
        var cropped = padded.gather(2, rows);
        var columns = left.view(n, 1).add(arange(width, device: images.device)).view(n, 1, 1, width).expand(n, channels, height, width);
        return (cropped.gather(3, columns).MoveToOuterDisposeScope(), targets);
    }

    public override string ToString() => $"crop(pad {Padding}{(Reflect ? ", reflect" : "")})";
}
