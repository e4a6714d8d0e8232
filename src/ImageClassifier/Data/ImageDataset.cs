using ImageClassifier.Imaging;

namespace ImageClassifier.Data;

/// <summary>
/// Images held in memory as bytes (0..255, channels first: N x C x H x W) with their class labels.
/// Bytes rather than a tensor: readers fill them directly, and batches are converted to float
/// tensors only when needed, which keeps a dataset at a quarter of the float size.
/// </summary>
public sealed class ImageDataset
{
    public ImageDataset(string name, ImageShape shape, IReadOnlyList<string> classNames, byte[] pixels, int[] labels)
    {
        if (pixels.Length != (long)labels.Length * shape.Size)
            throw new DatasetException($"{labels.Length} labels need {(long)labels.Length * shape.Size} pixel bytes of shape {shape}, got {pixels.Length}.");
        foreach (int label in labels)
            if (label < 0 || label >= classNames.Count)
                throw new DatasetException($"Label {label} is outside the {classNames.Count} classes of dataset '{name}'.");
        Name = name;
        Shape = shape;
        ClassNames = classNames;
        Pixels = pixels;
        Labels = labels;
    }

    public string Name { get; }
    public ImageShape Shape { get; }
    public IReadOnlyList<string> ClassNames { get; }
    public byte[] Pixels { get; }
    public int[] Labels { get; }
    public int Count => Labels.Length;
    public int ClassCount => ClassNames.Count;

    public ReadOnlySpan<byte> Image(int index) => Pixels.AsSpan(index * Shape.Size, Shape.Size);

    public int[] ClassCounts()
    {
        var counts = new int[ClassCount];
        foreach (int label in Labels) counts[label]++;
        return counts;
    }

    /// <summary>The images at <paramref name="indices"/>, in that order.</summary>
    public ImageDataset Subset(IReadOnlyList<int> indices, string? name = null)
    {
        int size = Shape.Size;
        var pixels = new byte[(long)indices.Count * size];
        var labels = new int[indices.Count];
        for (int i = 0; i < indices.Count; i++)
        {
            Image(indices[i]).CopyTo(pixels.AsSpan(i * size, size));
            labels[i] = Labels[indices[i]];
        }
        return new ImageDataset(name ?? Name, Shape, ClassNames, pixels, labels);
    }

    /// <summary>The first <paramref name="count"/> images (all of them when there are fewer).</summary>
    public ImageDataset Take(int count) =>
        count >= Count ? this : Subset(Enumerable.Range(0, count).ToArray());

    /// <summary>Throws a clear error when the dataset cannot train a classifier.</summary>
    public void EnsureTrainable()
    {
        if (Count == 0) throw new DatasetException($"Dataset '{Name}' is empty: it has no images.");
        int present = ClassCounts().Count(c => c > 0);
        if (present < 2)
            throw new DatasetException($"Dataset '{Name}' has images of only {present} class; a classifier needs at least two.");
    }

    /// <summary>
    /// Throws when a class has no images: a model cannot learn a class it never sees, yet it would have an
    /// output for it and could predict it (an empty class folder, or a damaged labels file).
    /// </summary>
    public void EnsureEveryClassHasImages() => EnsureEveryClassHasImages(Name, ClassNames, ClassCounts());

    public static void EnsureEveryClassHasImages(string name, IReadOnlyList<string> classNames, IReadOnlyList<int> counts)
    {
        var empty = Enumerable.Range(0, classNames.Count).Where(c => counts[c] == 0).Select(c => classNames[c]).ToList();
        if (empty.Count == 0) return;
        string listed = string.Join(", ", empty.Take(10)) + (empty.Count > 10 ? $" and {empty.Count - 10} more" : "");
        throw new DatasetException(
            $"Dataset '{name}': {(empty.Count == 1 ? "class " + listed + " has" : $"{empty.Count} of its {classNames.Count} classes ({listed}) have")} " +
            "no images. A model cannot learn a class it never sees, yet it would predict it: add images, or remove the empty class folder.");
    }

    public override string ToString() => $"{Name}: {Count} images of {Shape}, {ClassCount} classes";
}

/// <summary>A dataset's training part and, when it has one, its test part.</summary>
public sealed record DatasetSplits(ImageDataset Train, ImageDataset? Test)
{
    /// <summary>
    /// True when the source has no train/test layout at all (a plain folder of class subfolders):
    /// <see cref="Train"/> is then simply all of it, and to evaluate on, it is the evaluation set.
    /// </summary>
    public bool Unsplit { get; init; }
}
