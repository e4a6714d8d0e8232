using ImageClassifier.Audit;

namespace ImageClassifier.Tests.Audit;

public class ConfidentLearningTests
{
    // Three classes; image 2 is labelled 0 but looks like 1; image 5 is labelled 2 and is merely unsure.
    static readonly int[] Labels = [0, 0, 0, 1, 1, 2, 2];
    static readonly float[][] P =
    [
        [0.9f, 0.05f, 0.05f], [0.8f, 0.1f, 0.1f], [0.1f, 0.85f, 0.05f],
        [0.1f, 0.8f, 0.1f], [0.2f, 0.7f, 0.1f],
        [0.3f, 0.3f, 0.4f], [0.05f, 0.05f, 0.9f],
    ];

    [Fact]
    public void Thresholds_are_each_class_s_mean_self_confidence()
    {
        var t = ConfidentLearning.Thresholds(Labels, P, 4);
        Assert.Equal((0.9 + 0.8 + 0.1) / 3, t[0], 5);
        Assert.Equal((0.8 + 0.7) / 2, t[1], 5);
        Assert.Equal((0.4 + 0.9) / 2, t[2], 5);
        Assert.True(double.IsNaN(t[3])); // no image is labelled 3
    }

    [Fact]
    public void Only_images_confidently_in_another_class_are_issues_with_that_class_suggested()
    {
        var issues = ConfidentLearning.Issues(Labels, P, 3);
        // Image 2: p[1] = 0.85 >= t1 = 0.75, so it is confidently a 1. Image 5 reaches no other class's threshold
        // (p[0] = 0.3 < 0.6, p[1] = 0.3 < 0.75): unsure, not an issue.
        Assert.Equal([(2, 1)], issues);
    }

    [Fact]
    public void Ranking_puts_the_lowest_self_confidence_first()
    {
        Assert.Equal((0.1 - 0.85 + 1) / 2, ConfidentLearning.Margin(P[2], 0), 5);
        var ranking = ConfidentLearning.Ranking(Labels, P);
        Assert.Equal([2, 5, 4], ranking[..3]); // p[given] 0.1, 0.4, 0.7
        Assert.Equal([1, 3], ranking[3..5].Order()); // 0.8 each: the margin breaks the tie
        Assert.Equal(7, ranking.Length);
    }

    [Fact]
    public void An_image_whose_given_label_is_still_the_most_probable_is_no_issue()
    {
        // Image 1 reaches class 1's threshold (0.48 >= 0.45) and not its own (0.52 < 0.71), so it is off the
        // confident joint's diagonal; but its given label is still the most probable: not an issue.
        int[] labels = [0, 0, 1, 1];
        float[][] p = [[0.9f, 0.1f], [0.52f, 0.48f], [0.6f, 0.4f], [0.5f, 0.5f]];
        Assert.DoesNotContain(ConfidentLearning.Issues(labels, p, 2), x => x.Index == 1);
    }

    [Fact]
    public void Mismatched_inputs_are_refused()
    {
        Assert.Throws<ArgumentException>(() => ConfidentLearning.Issues([0, 1], P, 3));
        Assert.Throws<ArgumentException>(() => ConfidentLearning.Issues([0], [[0.5f, 0.5f]], 3));
    }
}
