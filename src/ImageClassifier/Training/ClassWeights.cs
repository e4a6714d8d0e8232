using ImageClassifier.Data;

namespace ImageClassifier.Training;

/// <summary>Loss weights per class against imbalance.</summary>
public static class ClassWeights
{
    /// <summary>
    /// scikit-learn's "balanced": n_samples / (n_classes * count[c]), over the classes present;
    /// a class with no images gets weight 0 (it cannot contribute to the loss anyway).
    /// </summary>
    public static float[] Balanced(ImageDataset data)
    {
        var counts = data.ClassCounts();
        int present = counts.Count(c => c > 0);
        return counts.Select(c => c == 0 ? 0f : (float)(data.Count / ((double)present * c))).ToArray();
    }
}
