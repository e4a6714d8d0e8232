namespace ImageClassifier.Evaluation;

/// <summary>
/// The checks every metric makes on its inputs, so bad input is one clear ArgumentException
/// (the CLI prints it as a single line) instead of an IndexOutOfRangeException deep inside.
/// </summary>
internal static class MetricInputs
{
    public static void CheckClassCount(int classCount)
    {
        if (classCount < 1) throw new ArgumentException($"There must be at least one class, not {classCount}.");
    }

    public static void CheckLabels(int[] labels, int[] predicted, int classCount)
    {
        CheckClassCount(classCount);
        if (labels.Length != predicted.Length)
            throw new ArgumentException($"There are {labels.Length} labels but {predicted.Length} predictions: they must be the same length.");
        CheckRange(labels, classCount, "Label");
        CheckRange(predicted, classCount, "Prediction");
    }

    public static void CheckProbabilities(float[][] probabilities, int[] labels, int classCount)
    {
        CheckClassCount(classCount);
        if (labels.Length != probabilities.Length)
            throw new ArgumentException($"There are {labels.Length} labels but {probabilities.Length} probability rows: they must be the same length.");
        CheckRange(labels, classCount, "Label");
        for (int i = 0; i < probabilities.Length; i++)
        {
            var row = probabilities[i];
            if (row.Length != classCount)
                throw new ArgumentException($"Probability row {i} has {row.Length} values but there are {classCount} classes.");
            foreach (float p in row)
                if (!float.IsFinite(p)) throw new ArgumentException($"Probability row {i} holds {p}: probabilities must be finite numbers.");
        }
    }

    public static void CheckNames(IReadOnlyList<string> classNames, int classCount)
    {
        if (classNames.Count != classCount)
            throw new ArgumentException($"There are {classNames.Count} class names but {classCount} classes.");
    }

    public static void CheckNotEmpty(int count, string what)
    {
        if (count == 0) throw new ArgumentException($"There are no samples: {what} needs at least one.");
    }

    static void CheckRange(int[] values, int classCount, string what)
    {
        for (int i = 0; i < values.Length; i++)
            if ((uint)values[i] >= (uint)classCount)
                throw new ArgumentException($"{what} {values[i]} at position {i} is not a class: classes are 0 to {classCount - 1}.");
    }
}
