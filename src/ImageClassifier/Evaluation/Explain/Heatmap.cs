using static TorchSharp.torch;

namespace ImageClassifier.Evaluation.Explain;

/// <summary>
/// One image's class-activation map: <see cref="Width"/> x <see cref="Height"/> values in [0,1],
/// row by row. 1 marks the strongest evidence for the class, 0 none; a map with no evidence at
/// all stays zero everywhere rather than being stretched.
/// </summary>
public sealed record Heatmap(int Width, int Height, float[] Values)
{
    public float this[int x, int y] => Values[y * Width + x];

    /// <summary>The share of the map's total mass inside a rectangle (0 for an all-zero map).</summary>
    public double MassIn(int x, int y, int width, int height)
    {
        double inside = 0, total = 0;
        for (int row = 0; row < Height; row++)
            for (int column = 0; column < Width; column++)
            {
                float v = Values[row * Width + column];
                total += v;
                if (column >= x && column < x + width && row >= y && row < y + height) inside += v;
            }
        return total > 0 ? inside / total : 0;
    }

    /// <summary>This map at another size, by bilinear interpolation (values stay in [0,1]).</summary>
    public Heatmap ResizeTo(int width, int height)
    {
        if (width < 1 || height < 1) throw new ArgumentException($"A heatmap needs a positive size, not {width}x{height}.");
        if (width == Width && height == Height) return this;
        using var scope = NewDisposeScope();
        var map = tensor(Values, [1, 1, Height, Width]);
        var resized = nn.functional.interpolate(map, [height, width], mode: InterpolationMode.Bilinear, align_corners: false);
        return new Heatmap(width, height, resized.clamp(0, 1).data<float>().ToArray());
    }

    /// <summary>The map as a [Height, Width] float tensor.</summary>
    public Tensor ToTensor() => tensor(Values, [Height, Width]);
}
