using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace ImageClassifier.Imaging.Augmentation;

/// <summary>
/// Resamples each image of a batch through its own affine map, given in pixels about the image centre
/// (y down): the output pixel at p takes the input at M p + t. One grid_sample call for the whole batch.
/// </summary>
internal static class AffineWarp
{
    /// <param name="matrix">[B, 2, 2], output-to-input, in pixel units.</param>
    /// <param name="shift">[B, 2] (x, y) in pixels, or null.</param>
    public static Tensor Apply(Tensor images, Tensor matrix, Tensor? shift, FillMode fill, double fillValue, Interpolation interpolation)
    {
        using var scope = NewDisposeScope();
        long batch = images.shape[0], height = images.shape[2], width = images.shape[3];
        // Normalised coordinates span [-1, 1] across each side; pixels are (W/2, H/2) normalised units apart.
        var half = tensor(new float[] { width / 2f, height / 2f }, device: images.device);
        var toPixels = diag(half);
        var toNormalised = diag(half.reciprocal());
        var linear = toNormalised.matmul(matrix.to(ScalarType.Float32)).matmul(toPixels);
        var offset = shift is null ? zeros(batch, 2, 1, device: images.device) : shift.to(ScalarType.Float32).div(half).unsqueeze(2);
        var theta = cat([linear, offset], 2);
        var grid = affine_grid(theta, [batch, images.shape[1], height, width], align_corners: false);
        // Wrap: fold the coordinates back into [-1, 1) (the image's period is 2 in normalised units).
        if (fill == FillMode.Wrap) grid = grid.add(1).remainder(2).sub(1);
        var mode = interpolation == Interpolation.Nearest ? GridSampleMode.Nearest : GridSampleMode.Bilinear;
        var padding = fill switch
        {
            FillMode.Reflect => GridSamplePaddingMode.Reflection, // about the outer pixel edge: Keras' reflect
            FillMode.Nearest => GridSamplePaddingMode.Border,
            _ => GridSamplePaddingMode.Zeros,
        };
        Tensor result = fill == FillMode.Constant && fillValue != 0
            ? grid_sample(images.sub(fillValue), grid, mode, padding, align_corners: false).add_(fillValue) // zeros padding, shifted to the fill value
            : grid_sample(images, grid, mode, padding, align_corners: false);
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>[B, 2, 2] rotation matrices (output to input) for counter-clockwise angles in radians.</summary>
    public static Tensor Rotations(Tensor angles)
    {
        var cos = angles.cos();
        var sin = angles.sin();
        // y points down, so a counter-clockwise turn on screen reads the input at (x cos - y sin, x sin + y cos).
        return stack([stack([cos, sin.neg()], 1), stack([sin, cos], 1)], 1);
    }
}
