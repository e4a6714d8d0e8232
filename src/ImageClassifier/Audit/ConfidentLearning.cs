namespace ImageClassifier.Audit;

/// <summary>An image whose given label its predicted probabilities doubt.</summary>
/// <param name="Rank">1 for the most doubtful image of the dataset (lowest self-confidence).</param>
/// <param name="SelfConfidence">The probability predicted for the given label.</param>
/// <param name="Threshold">The given class's threshold: the mean self-confidence of the images labelled with it.</param>
/// <param name="Margin">Normalised margin: (p[given] - max p[other] + 1) / 2, in [0, 1]; below 0.5 another class is more likely.</param>
public sealed record LabelIssue(int File, string Path, string Split, string GivenLabel, string SuggestedLabel,
    double SelfConfidence, double SuggestedConfidence, double Threshold, double Margin, int Rank);

/// <summary>
/// Confident learning (Northcutt, Jiang and Chuang, 2021; the method of cleanlab's find_label_issues) on held-out
/// predicted probabilities:
/// <list type="number">
/// <item>each class j's threshold t_j is the mean probability of j over the images labelled j;</item>
/// <item>an image counts towards the confident joint C[given][j*] where j* is its most probable class among those
/// whose probability reaches their own threshold; images off its diagonal (j* differs from the given label) whose
/// most probable class is not the given one either (as cleanlab's filter_by="both") are the label issues, j* the
/// suggested label;</item>
/// <item>images are ranked by self-confidence, the probability of the given label (cleanlab's default ranking),
/// lowest first, ties broken by the normalised margin. On Fashion-MNIST with 3% of labels flipped, self-confidence
/// put 80% of the flipped labels in its top K where the normalised margin put 63% (docs/BENCHMARKS.md).</item>
/// </list>
/// </summary>
public static class ConfidentLearning
{
    /// <summary>Per-class thresholds; NaN for a class no image is labelled with.</summary>
    public static double[] Thresholds(IReadOnlyList<int> labels, IReadOnlyList<float[]> probabilities, int classes)
    {
        var sum = new double[classes];
        var count = new int[classes];
        for (int i = 0; i < labels.Count; i++)
        {
            sum[labels[i]] += probabilities[i][labels[i]];
            count[labels[i]]++;
        }
        return Enumerable.Range(0, classes).Select(c => count[c] == 0 ? double.NaN : sum[c] / count[c]).ToArray();
    }

    /// <summary>The normalised margin of each image's given label: lower is more doubtful.</summary>
    public static double Margin(float[] p, int label)
    {
        double other = 0;
        for (int j = 0; j < p.Length; j++) if (j != label) other = Math.Max(other, p[j]);
        return (p[label] - other + 1) / 2;
    }

    /// <summary>Every image's index, most doubtful label first (by self-confidence, then normalised margin, then index).</summary>
    public static int[] Ranking(IReadOnlyList<int> labels, IReadOnlyList<float[]> probabilities) =>
        Enumerable.Range(0, labels.Count).OrderBy(i => probabilities[i][labels[i]]).ThenBy(i => Margin(probabilities[i], labels[i])).ThenBy(i => i).ToArray();

    static int ArgMax(float[] p)
    {
        int best = 0;
        for (int j = 1; j < p.Length; j++) if (p[j] > p[best]) best = j;
        return best;
    }

    /// <summary>
    /// The images off the confident joint's diagonal, most doubtful first, as (index, suggested class).
    /// </summary>
    public static List<(int Index, int Suggested)> Issues(IReadOnlyList<int> labels, IReadOnlyList<float[]> probabilities, int classes)
    {
        if (labels.Count != probabilities.Count) throw new ArgumentException($"{labels.Count} labels but {probabilities.Count} rows of probabilities.");
        var thresholds = Thresholds(labels, probabilities, classes);
        var issues = new List<(int, int)>();
        for (int i = 0; i < labels.Count; i++)
        {
            var p = probabilities[i];
            if (p.Length != classes) throw new ArgumentException($"Row {i} has {p.Length} probabilities for {classes} classes.");
            int confident = -1;
            for (int j = 0; j < classes; j++)
                if (!double.IsNaN(thresholds[j]) && p[j] >= thresholds[j] && (confident < 0 || p[j] > p[confident])) confident = j;
            if (confident >= 0 && confident != labels[i] && ArgMax(p) != labels[i]) issues.Add((i, confident));
        }
        var rank = Ranking(labels, probabilities).Select((index, r) => (index, r)).ToDictionary(x => x.index, x => x.r);
        return issues.OrderBy(x => rank[x.Item1]).ToList();
    }
}
