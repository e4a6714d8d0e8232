namespace ImageClassifier.Evaluation;

/// <summary>Where a model goes wrong: its worst mistakes, each class's hardest samples, and the classes it mixes up.</summary>
public static class ErrorAnalysis
{
    /// <summary>
    /// The <paramref name="k"/> most confidently wrong samples: those predicted wrongly, by
    /// highest loss (lowest probability of the true class), ties by index. Fewer when fewer are wrong.
    /// </summary>
    public static IReadOnlyList<SampleLoss> TopLosses(float[][] probabilities, int[] labels, int[] predicted, IReadOnlyList<string> classNames, int k)
    {
        CheckCount(k);
        return Samples(probabilities, labels, predicted, classNames)
            .Where(s => !s.Correct)
            .OrderByDescending(s => s.Loss).ThenBy(s => s.Index)
            .Take(k).ToArray();
    }

    /// <summary>
    /// For each class, the <paramref name="k"/> samples of that class given the lowest probability
    /// of it (right or wrong), ties by index. A class with no samples gets an empty list.
    /// </summary>
    public static IReadOnlyList<ClassExamples> WorstPerClass(float[][] probabilities, int[] labels, int[] predicted, IReadOnlyList<string> classNames, int k)
    {
        CheckCount(k);
        var byClass = Samples(probabilities, labels, predicted, classNames).ToLookup(s => s.TrueClass);
        return classNames.Select((name, c) => new ClassExamples(c, name,
            byClass[c].OrderBy(s => s.TrueProbability).ThenBy(s => s.Index).Take(k).ToArray())).ToArray();
    }

    /// <summary>
    /// The off-diagonal cells of the confusion matrix that are not zero, most frequent first, ties
    /// by true class then predicted class; at most <paramref name="top"/> of them when given.
    /// </summary>
    public static IReadOnlyList<ConfusedPair> MostConfused(ConfusionMatrix matrix, IReadOnlyList<string> classNames, int? top = null)
    {
        MetricInputs.CheckNames(classNames, matrix.ClassCount);
        if (top is not null) CheckCount(top.Value);
        int n = matrix.ClassCount;
        var pairs =
            from t in Enumerable.Range(0, n)
            from p in Enumerable.Range(0, n)
            where t != p && matrix[t, p] > 0
            orderby matrix[t, p] descending, t, p
            select new ConfusedPair(t, classNames[t], p, classNames[p], matrix[t, p]);
        return (top is null ? pairs : pairs.Take(top.Value)).ToArray();
    }

    /// <summary>Every sample as a <see cref="SampleLoss"/>, in dataset order.</summary>
    public static IReadOnlyList<SampleLoss> Samples(float[][] probabilities, int[] labels, int[] predicted, IReadOnlyList<string> classNames)
    {
        MetricInputs.CheckLabels(labels, predicted, classNames.Count);
        MetricInputs.CheckProbabilities(probabilities, labels, classNames.Count);
        var losses = Metrics.SampleLosses(probabilities, labels);
        return labels.Select((t, i) => new SampleLoss(i, t, classNames[t], predicted[i], classNames[predicted[i]],
            probabilities[i][predicted[i]], probabilities[i][t], losses[i])).ToArray();
    }

    static void CheckCount(int k)
    {
        if (k < 0) throw new ArgumentException($"The number of examples cannot be negative ({k}).");
    }
}
