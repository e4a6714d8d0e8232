namespace ImageClassifier.Evaluation;

/// <summary>
/// How often each true class (row) was predicted as each class (column): scikit-learn's
/// <c>confusion_matrix(y_true, y_pred, labels=range(classCount))</c>. Every class of the model
/// has a row and a column, also when the data never shows it; no samples gives all zeros.
/// </summary>
public sealed class ConfusionMatrix
{
    readonly int[,] counts;

    ConfusionMatrix(int[,] counts) => this.counts = counts;

    /// <summary>Counts (labels[i], predicted[i]) pairs; both must be classes 0..classCount-1 and of the same length.</summary>
    public static ConfusionMatrix From(int[] labels, int[] predicted, int classCount)
    {
        MetricInputs.CheckLabels(labels, predicted, classCount);
        var counts = new int[classCount, classCount];
        for (int i = 0; i < labels.Length; i++) counts[labels[i], predicted[i]]++;
        return new ConfusionMatrix(counts);
    }

    /// <summary>A matrix from counts already made (square, none negative).</summary>
    public static ConfusionMatrix FromCounts(int[,] counts)
    {
        int n = counts.GetLength(0);
        if (n != counts.GetLength(1)) throw new ArgumentException($"A confusion matrix must be square, not {n}x{counts.GetLength(1)}.");
        MetricInputs.CheckClassCount(n);
        foreach (int c in counts)
            if (c < 0) throw new ArgumentException($"Confusion counts cannot be negative ({c}).");
        return new ConfusionMatrix((int[,])counts.Clone());
    }

    public int ClassCount => counts.GetLength(0);

    /// <summary>Samples of class <paramref name="trueClass"/> predicted as <paramref name="predictedClass"/>.</summary>
    public int this[int trueClass, int predictedClass] => counts[trueClass, predictedClass];

    /// <summary>A copy of the counts, [true, predicted].</summary>
    public int[,] Counts => (int[,])counts.Clone();

    public int Total => counts.Cast<int>().Sum();

    /// <summary>The diagonal: samples predicted as their own class.</summary>
    public int Correct => Enumerable.Range(0, ClassCount).Sum(c => counts[c, c]);

    /// <summary>Samples whose true class is <paramref name="c"/> (the row sum).</summary>
    public int Support(int c) => Enumerable.Range(0, ClassCount).Sum(p => counts[c, p]);

    /// <summary>Samples predicted as <paramref name="c"/> (the column sum).</summary>
    public int PredictedCount(int c) => Enumerable.Range(0, ClassCount).Sum(t => counts[t, c]);

    /// <summary>
    /// Each row divided by its sum (scikit-learn's <c>normalize="true"</c>): the share of each true
    /// class given each prediction, so the diagonal is per-class recall. A class with no samples
    /// has a row of zeros, as scikit-learn's nan_to_num makes it.
    /// </summary>
    public double[,] Normalized()
    {
        int n = ClassCount;
        var result = new double[n, n];
        for (int t = 0; t < n; t++)
        {
            int support = Support(t);
            if (support == 0) continue;
            for (int p = 0; p < n; p++) result[t, p] = counts[t, p] / (double)support;
        }
        return result;
    }

    /// <summary>The counts as rows (for JSON, which has no 2-D arrays).</summary>
    public int[][] ToRows() => Rows(counts);

    /// <summary>The row-normalised matrix as rows.</summary>
    public double[][] NormalizedRows() => Rows(Normalized());

    static T[][] Rows<T>(T[,] matrix) =>
        Enumerable.Range(0, matrix.GetLength(0)).Select(r => Enumerable.Range(0, matrix.GetLength(1)).Select(c => matrix[r, c]).ToArray()).ToArray();
}
