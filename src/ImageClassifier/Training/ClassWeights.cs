using ImageClassifier.Data;

namespace ImageClassifier.Training;

/// <summary>Loss weights per class against imbalance.</summary>
public static class ClassWeights
{
    /// <summary>
    /// scikit-learn's "balanced": n_samples / (n_classes * count[c]), over the classes present;
    /// a class with no images gets weight 0 (it cannot contribute to the loss anyway).
    /// </summary>
    public static float[] Balanced(ImageDataset data) => Balanced(data.Labels, data.ClassCount);

    /// <summary>The same from the labels alone (e.g. of a streamed dataset).</summary>
    public static float[] Balanced(IReadOnlyList<int> labels, int classCount)
    {
        var counts = new int[classCount];
        foreach (int label in labels) counts[label]++;
        int present = counts.Count(c => c > 0);
        return counts.Select(c => c == 0 ? 0f : (float)(labels.Count / ((double)present * c))).ToArray();
    }
}
