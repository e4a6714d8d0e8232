namespace ImageClassifier.Evaluation;

/// <summary>Scalar metrics over labels and class probabilities, as scikit-learn computes them.</summary>
public static class Metrics
{
    /// <summary>
    /// float32 machine epsilon, 2^-23 (numpy's <c>finfo(float32).eps</c>): what scikit-learn clips
    /// float32 probabilities to since 1.2, and the default here because models output float32.
    /// </summary>
    public const double Float32Epsilon = 1.1920928955078125e-07;

    /// <summary>The share of samples predicted as their label (scikit-learn's accuracy_score).</summary>
    public static double Accuracy(int[] labels, int[] predicted, int classCount)
    {
        MetricInputs.CheckLabels(labels, predicted, classCount);
        MetricInputs.CheckNotEmpty(labels.Length, "accuracy");
        return labels.Zip(predicted).Count(p => p.First == p.Second) / (double)labels.Length;
    }

    /// <summary>
    /// The share of samples whose label is among the <paramref name="k"/> most probable classes
    /// (scikit-learn's top_k_accuracy_score). Ties rank as scikit-learn's stable descending sort
    /// ranks them: among equal probabilities the higher class index comes first. k at or above
    /// the number of classes gives 1 (scikit-learn warns and does the same).
    /// </summary>
    public static double TopKAccuracy(float[][] probabilities, int[] labels, int k)
    {
        if (k < 1) throw new ArgumentException($"k must be at least 1, not {k}.");
        int classes = ClassCount(probabilities);
        MetricInputs.CheckProbabilities(probabilities, labels, classes);
        MetricInputs.CheckNotEmpty(labels.Length, "top-k accuracy");
        int hits = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            var row = probabilities[i];
            int label = labels[i];
            float p = row[label];
            int ahead = 0;
            for (int c = 0; c < row.Length; c++)
                if (row[c] > p || (row[c] == p && c > label)) ahead++;
            if (ahead < k) hits++;
        }
        return hits / (double)labels.Length;
    }

    /// <summary>
    /// Mean cross-entropy of the true classes: scikit-learn's log_loss (1.5 and later). Each
    /// probability is clipped to [eps, 1 - eps] so a confident mistake costs -ln(eps) (about 15.9
    /// for float32) instead of infinity. Rows are not renormalised (scikit-learn 1.2 to 1.4 did,
    /// which only differs for rows that do not sum to one); the logarithm is natural.
    /// </summary>
    public static double LogLoss(float[][] probabilities, int[] labels, double eps = Float32Epsilon)
    {
        var losses = SampleLosses(probabilities, labels, eps);
        MetricInputs.CheckNotEmpty(losses.Length, "log loss");
        return losses.Sum() / losses.Length;
    }

    /// <summary>Each sample's -ln(clip(p[label], eps, 1 - eps)): the terms whose mean is <see cref="LogLoss"/>.</summary>
    public static double[] SampleLosses(float[][] probabilities, int[] labels, double eps = Float32Epsilon)
    {
        if (!(eps > 0 && eps < 0.5)) throw new ArgumentException($"eps must be between 0 and 0.5, not {eps}.");
        MetricInputs.CheckProbabilities(probabilities, labels, ClassCount(probabilities));
        return labels.Select((label, i) => -Math.Log(Math.Clamp((double)probabilities[i][label], eps, 1 - eps))).ToArray();
    }

    /// <summary>The class count a probability matrix implies (its first row; the checks compare the rest).</summary>
    internal static int ClassCount(float[][] probabilities) => probabilities.Length == 0 ? 1 : probabilities[0].Length;
}
