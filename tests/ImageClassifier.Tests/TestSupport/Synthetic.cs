using ImageClassifier.Data;
using ImageClassifier.Imaging;

namespace ImageClassifier.Tests.TestSupport;

/// <summary>Small generated datasets whose right answers are known.</summary>
public static class Synthetic
{
    /// <summary>
    /// Two classes of 8x8 grayscale images: class 0 is bright on the left half, class 1 on the
    /// right, with noise. Easy to learn; <paramref name="randomLabels"/> makes it unlearnable.
    /// </summary>
    public static ImageDataset LeftRight(int count, int seed, bool randomLabels = false, string name = "left-right")
    {
        var rng = new Random(seed);
        var shape = new ImageShape(1, 8, 8);
        var pixels = new byte[count * shape.Size];
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            int label = i % 2;
            for (int y = 0; y < 8; y++)
                for (int x = 0; x < 8; x++)
                {
                    bool bright = label == 0 ? x < 4 : x >= 4;
                    pixels[i * shape.Size + y * 8 + x] = (byte)Math.Clamp((bright ? 180 : 60) + rng.Next(-50, 50), 0, 255);
                }
            labels[i] = randomLabels ? rng.Next(2) : label;
        }
        return new ImageDataset(name, shape, ["left", "right"], pixels, labels);
    }
}
