namespace ImageClassifier.Evaluation;

/// <summary>
/// One sample's outcome: its position in the dataset, true and predicted class, the probabilities
/// the model gave each, and its loss, -ln(clip(TrueProbability)) as in <see cref="Metrics.LogLoss"/>.
/// </summary>
public sealed record SampleLoss(
    int Index, int TrueClass, string TrueName, int PredictedClass, string PredictedName,
    double PredictedProbability, double TrueProbability, double Loss)
{
    public bool Correct => TrueClass == PredictedClass;
}

/// <summary>A class's hardest samples: those given the lowest probability of being what they are.</summary>
public sealed record ClassExamples(int ClassIndex, string ClassName, IReadOnlyList<SampleLoss> Examples);

/// <summary>How often samples of one class were predicted as another.</summary>
public sealed record ConfusedPair(int TrueClass, string TrueName, int PredictedClass, string PredictedName, int Count);
