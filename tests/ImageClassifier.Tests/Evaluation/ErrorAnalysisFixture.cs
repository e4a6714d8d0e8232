using ImageClassifier.Evaluation;

namespace ImageClassifier.Tests.Evaluation;

/// <summary>Seven samples of three classes whose mistakes are easy to follow by hand.</summary>
internal static class ErrorAnalysisFixture
{
    public static readonly string[] Names = ["shirt", "shoe", "bag, small"];

    public static readonly float[][] Probabilities =
    [
        [0.8f, 0.1f, 0.1f],   // 0: shirt, right
        [0.1f, 0.7f, 0.2f],   // 1: shirt taken for a shoe, p(true) 0.1, loss -ln 0.1 = 2.303
        [0.05f, 0.9f, 0.05f], // 2: bag taken for a shoe, p(true) 0.05, loss -ln 0.05 = 2.996
        [0.3f, 0.6f, 0.1f],   // 3: shoe, right (p 0.6)
        [0.6f, 0.3f, 0.1f],   // 4: shoe taken for a shirt, p(true) 0.3, loss 1.204
        [0.1f, 0.2f, 0.7f],   // 5: bag, right
        [0.1f, 0.7f, 0.2f],   // 6: as sample 1: the same loss, so the index breaks the tie
    ];

    public static readonly int[] Labels = [0, 0, 2, 1, 1, 2, 0];
    public static readonly int[] Predicted = [0, 1, 1, 1, 0, 2, 1];

    // confusion [[1,2,0],[1,1,0],[0,1,1]]: 3 of 7 right
    public static EvaluationResult Result => new("fixture", Names, Labels, Predicted, Probabilities, Loss: 1.5, Accuracy: 3 / 7.0);
}
