using ImageClassifier.Evaluation;

namespace ImageClassifier.Tests.Evaluation;

/// <summary>Top-k accuracy and log loss against their definitions (and scikit-learn).</summary>
public class MetricsTests
{
    // four classes; the true class's rank (0 = most probable) is in the comment
    static readonly float[][] Scores =
    [
        [0.1f, 0.6f, 0.2f, 0.1f],     // label 2: behind class 1 -> rank 1
        [0.5f, 0.2f, 0.2f, 0.1f],     // label 0: rank 0
        [0.25f, 0.25f, 0.25f, 0.25f], // label 1: ties rank the higher index first, so 3 and 2 are ahead -> rank 2
        [0.05f, 0.05f, 0.1f, 0.8f],   // label 0: 3, 2 and the tied 1 ahead -> rank 3
    ];
    static readonly int[] ScoreLabels = [2, 0, 1, 0];

    [Theory]
    [InlineData(1, 0.25)] // rank 0 only: row 1
    [InlineData(2, 0.50)] // ranks 0-1: rows 0, 1
    [InlineData(3, 0.75)] // ranks 0-2: rows 0, 1, 2 (scikit-learn 1.2.1 top_k_accuracy_score agrees, ties included)
    [InlineData(4, 1.00)]
    [InlineData(9, 1.00)] // k beyond the classes: every label is in the top k
    public void Top_k_accuracy_counts_labels_among_the_k_most_probable(int k, double expected) =>
        Assert.Equal(expected, Metrics.TopKAccuracy(Scores, ScoreLabels, k));

    [Fact]
    public void Top_1_accuracy_is_accuracy_when_there_are_no_ties()
    {
        float[][] p = [[0.9f, 0.1f], [0.3f, 0.7f], [0.6f, 0.4f]];
        int[] labels = [0, 0, 0];
        Assert.Equal(Metrics.Accuracy(labels, [0, 1, 0], 2), Metrics.TopKAccuracy(p, labels, 1));
    }

    [Fact]
    public void Log_loss_is_the_mean_negative_log_probability_of_the_true_class()
    {
        float[][] p = [[0.7f, 0.2f, 0.1f], [0.1f, 0.8f, 0.1f], [0.3f, 0.3f, 0.4f]];
        // (-ln 0.7 - ln 0.8 - ln 0.3) / 3, with the float32 values the model would give
        double expected = -(Math.Log(0.7f) + Math.Log(0.8f) + Math.Log(0.3f)) / 3;
        Assert.Equal(expected, Metrics.LogLoss(p, [0, 1, 0]), 14);
        Assert.Equal(0.594597099859626, expected, 7); // (0.35667494 + 0.22314355 + 1.20397280) / 3 in exact decimals
    }

    [Fact]
    public void Log_loss_clips_probabilities_to_float32_epsilon()
    {
        // p = 0 for the true class costs -ln(2^-23) = 23 ln 2, not infinity; p = 1 costs -ln(1 - 2^-23), not 0
        Assert.Equal(Metrics.Float32Epsilon, Math.Pow(2, -23));
        Assert.Equal(23 * Math.Log(2), Metrics.LogLoss([[0f, 0f, 1f]], [0]), 12);
        Assert.Equal(1.1920929665620916e-07, Metrics.LogLoss([[1f, 0f, 0f]], [0]), 15); // -ln(1 - 2^-23)
        Assert.Equal(-Math.Log(1e-3), Metrics.LogLoss([[0f, 1f]], [0], eps: 1e-3), 12);
    }

    [Fact]
    public void Log_loss_matches_scikit_learn_on_a_mixed_batch()
    {
        float[][] p = [[0.7f, 0.2f, 0.1f], [0.1f, 0.8f, 0.1f], [0.3f, 0.3f, 0.4f], [0, 0, 1], [1, 0, 0]];
        // numpy: mean(-log(clip(p[range(5), y], eps32, 1 - eps32))) = 3.5452353068118447.
        // scikit-learn 1.5+ computes exactly this; 1.2.1 renormalised the clipped rows and gave 3.5452353545 (5e-8 more).
        Assert.Equal(3.5452353068118447, Metrics.LogLoss(p, [0, 1, 0, 0, 0]), 13);
        Assert.Equal(Metrics.LogLoss(p, [0, 1, 0, 0, 0]), Metrics.SampleLosses(p, [0, 1, 0, 0, 0]).Average(), 15);
    }

    [Fact]
    public void Bad_input_is_a_clear_error()
    {
        Assert.Contains("4 labels but 3 probability rows", Assert.Throws<ArgumentException>(() => Metrics.LogLoss(Scores[..3], ScoreLabels)).Message);
        Assert.Contains("k must be at least 1", Assert.Throws<ArgumentException>(() => Metrics.TopKAccuracy(Scores, ScoreLabels, 0)).Message);
        Assert.Contains("row 1 has 3 values but there are 4 classes",
            Assert.Throws<ArgumentException>(() => Metrics.TopKAccuracy([[0.5f, 0.5f, 0, 0], [1, 0, 0]], [0, 0], 1)).Message);
        Assert.Contains("Label 4 at position 0 is not a class", Assert.Throws<ArgumentException>(() => Metrics.LogLoss(Scores[..1], [4])).Message);
        Assert.Contains("must be finite", Assert.Throws<ArgumentException>(() => Metrics.LogLoss([[float.NaN, 1]], [0])).Message);
        Assert.Contains("no samples", Assert.Throws<ArgumentException>(() => Metrics.LogLoss([], [])).Message);
        Assert.Contains("eps must be between", Assert.Throws<ArgumentException>(() => Metrics.LogLoss(Scores, ScoreLabels, eps: 0)).Message);
    }
}
