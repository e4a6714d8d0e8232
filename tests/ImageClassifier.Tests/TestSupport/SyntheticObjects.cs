using ImageClassifier.Data;
using ImageClassifier.Imaging;

namespace ImageClassifier.Tests.TestSupport;

/// <summary>
/// 20x20 grayscale images of noise; those of class "square" also hold a bright 5x5 square placed at
/// random inside one of the four 10x10 quadrants, those of class "none" nothing else. The square
/// alone decides the class, so a model that learned the task must find it wherever it is.
/// (With two object classes, say square and ring, a model may learn one as the absence of the
/// other, and its evidence for that one is then the background: true, but no test of localisation.)
/// </summary>
public static class SyntheticObjects
{
    public const int Side = 20, ObjectSize = 5, Quadrant = Side / 2, Square = 0, None = 1;

    /// <summary>Where an image's square lies: its top-left corner, and the quadrant holding it.</summary>
    public sealed record Placement(int X, int Y, int QuadrantX, int QuadrantY);

    /// <summary>Images alternating square, none; the placement of each square (null for "none").</summary>
    public static (ImageDataset Data, Placement?[] Objects) Create(int count, int seed)
    {
        var rng = new Random(seed);
        var shape = new ImageShape(1, Side, Side);
        var pixels = new byte[count * shape.Size];
        var labels = new int[count];
        var placements = new Placement?[count];
        for (int i = 0; i < count; i++)
        {
            var image = pixels.AsSpan(i * shape.Size, shape.Size);
            for (int p = 0; p < image.Length; p++) image[p] = (byte)rng.Next(0, 110);
            if ((labels[i] = i % 2) == None) continue;
            int qx = rng.Next(2) * Quadrant, qy = rng.Next(2) * Quadrant;
            int x = qx + rng.Next(Quadrant - ObjectSize + 1), y = qy + rng.Next(Quadrant - ObjectSize + 1);
            for (int dy = 0; dy < ObjectSize; dy++)
                for (int dx = 0; dx < ObjectSize; dx++)
                    image[(y + dy) * Side + x + dx] = (byte)rng.Next(200, 256);
            placements[i] = new Placement(x, y, qx, qy);
        }
        return (new ImageDataset("squares", shape, ["square", "none"], pixels, labels), placements);
    }
}
