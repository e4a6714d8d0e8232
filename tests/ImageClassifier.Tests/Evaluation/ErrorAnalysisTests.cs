using ImageClassifier.Evaluation;
using static ImageClassifier.Tests.Evaluation.ErrorAnalysisFixture;

namespace ImageClassifier.Tests.Evaluation;

public class ErrorAnalysisTests
{
    [Fact]
    public void Top_losses_are_the_wrong_predictions_by_falling_loss()
    {
        var top = ErrorAnalysis.TopLosses(Probabilities, Labels, Predicted, Names, 3);
        Assert.Equal([2, 1, 6], top.Select(s => s.Index)); // 2.996, then the 2.303 tie by index
        var worst = top[0];
        Assert.Equal((2, "bag, small", 1, "shoe"), (worst.TrueClass, worst.TrueName, worst.PredictedClass, worst.PredictedName));
        Assert.Equal(0.9f, worst.PredictedProbability);
        Assert.Equal(0.05f, worst.TrueProbability);
        Assert.Equal(-Math.Log(0.05f), worst.Loss, 12);
        Assert.False(worst.Correct);
    }

    [Fact]
    public void Top_losses_stop_at_the_number_of_mistakes()
    {
        var all = ErrorAnalysis.TopLosses(Probabilities, Labels, Predicted, Names, 100);
        Assert.Equal([2, 1, 6, 4], all.Select(s => s.Index));
        Assert.Empty(ErrorAnalysis.TopLosses(Probabilities, Labels, Predicted, Names, 0));
    }

    [Fact]
    public void Worst_per_class_are_each_class_samples_least_believed_right_or_wrong()
    {
        var worst = ErrorAnalysis.WorstPerClass(Probabilities, Labels, Predicted, Names, 2);
        Assert.Equal(["shirt", "shoe", "bag, small"], worst.Select(c => c.ClassName));
        Assert.Equal([1, 6], worst[0].Examples.Select(s => s.Index)); // p 0.1, 0.1 (tie by index); sample 0 (0.8) left out
        Assert.Equal([4, 3], worst[1].Examples.Select(s => s.Index)); // p 0.3, then 0.6 which was right
        Assert.Equal([2, 5], worst[2].Examples.Select(s => s.Index)); // p 0.05, 0.7
        Assert.True(worst[1].Examples[1].Correct);
    }

    [Fact]
    public void A_class_without_samples_has_no_worst_examples()
    {
        var worst = ErrorAnalysis.WorstPerClass([[0.9f, 0.1f, 0], [0.2f, 0.8f, 0]], [0, 1], [0, 1], Names, 5);
        Assert.Empty(worst[2].Examples);
        Assert.Equal(3, worst.Count);
    }

    [Fact]
    public void Most_confused_are_the_off_diagonal_counts_largest_first()
    {
        // confusion [[1,2,0],[1,1,0],[0,1,1]]: 0->1 twice, then 1->0 and 2->1 once (by true class)
        var m = ConfusionMatrix.From(Labels, Predicted, 3);
        var pairs = ErrorAnalysis.MostConfused(m, Names);
        Assert.Equal([(0, 1, 2), (1, 0, 1), (2, 1, 1)], pairs.Select(p => (p.TrueClass, p.PredictedClass, p.Count)));
        Assert.Equal(("shirt", "shoe"), (pairs[0].TrueName, pairs[0].PredictedName));
        Assert.Single(ErrorAnalysis.MostConfused(m, Names, top: 1));
        Assert.Empty(ErrorAnalysis.MostConfused(ConfusionMatrix.From([0, 1], [0, 1], 2), ["a", "b"]));
    }

    [Fact]
    public void Sample_losses_agree_with_log_loss()
    {
        var samples = ErrorAnalysis.Samples(Probabilities, Labels, Predicted, Names);
        Assert.Equal(Metrics.LogLoss(Probabilities, Labels), samples.Average(s => s.Loss), 15);
    }

    [Fact]
    public void Bad_input_is_a_clear_error()
    {
        Assert.Contains("7 labels but 6 predictions",
            Assert.Throws<ArgumentException>(() => ErrorAnalysis.TopLosses(Probabilities, Labels, Predicted[..6], Names, 3)).Message);
        Assert.Contains("7 labels but 2 probability rows",
            Assert.Throws<ArgumentException>(() => ErrorAnalysis.WorstPerClass(Probabilities[..2], Labels, Predicted, Names, 3)).Message);
        Assert.Contains("cannot be negative",
            Assert.Throws<ArgumentException>(() => ErrorAnalysis.TopLosses(Probabilities, Labels, Predicted, Names, -1)).Message);
    }
}
