namespace ImageClassifier.Evaluation;

/// <summary>
/// A model's outputs on a labelled dataset: loss (cross-entropy), accuracy, and each image's
/// predicted class and class probabilities, from which the finer metrics are computed.
/// </summary>
public sealed record EvaluationResult(
    string Dataset, IReadOnlyList<string> ClassNames, int[] Labels, int[] Predicted, float[][] Probabilities,
    double Loss, double Accuracy)
{
    public int Count => Labels.Length;
}
