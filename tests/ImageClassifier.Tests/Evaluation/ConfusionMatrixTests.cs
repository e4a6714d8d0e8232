using ImageClassifier.Evaluation;

namespace ImageClassifier.Tests.Evaluation;

/// <summary>Counts and row-normalisation as scikit-learn's confusion_matrix(labels=range(n)).</summary>
public class ConfusionMatrixTests
{
    // true 0 0 0 0 1 1 1 2 2 2
    // pred 0 0 0 1 0 1 1 1 2 2
    static readonly int[] Labels = [0, 0, 0, 0, 1, 1, 1, 2, 2, 2];
    static readonly int[] Predicted = [0, 0, 0, 1, 0, 1, 1, 1, 2, 2];

    [Fact]
    public void Counts_true_classes_in_rows_and_predictions_in_columns()
    {
        var m = ConfusionMatrix.From(Labels, Predicted, 3);
        // row 0: three 0->0, one 0->1; row 1: one 1->0, two 1->1; row 2: one 2->1, two 2->2
        Assert.Equal(new[] { new[] { 3, 1, 0 }, [1, 2, 0], [0, 1, 2] }, m.ToRows());
        Assert.Equal(10, m.Total);
        Assert.Equal(7, m.Correct);
        Assert.Equal([4, 3, 3], Enumerable.Range(0, 3).Select(m.Support));
        Assert.Equal([4, 4, 2], Enumerable.Range(0, 3).Select(m.PredictedCount));
    }

    [Fact]
    public void Normalized_divides_each_row_by_its_support()
    {
        var n = ConfusionMatrix.From(Labels, Predicted, 3).Normalized();
        // row 0 / 4, row 1 / 3, row 2 / 3 (sklearn normalize="true")
        double[,] expected = { { 0.75, 0.25, 0 }, { 1 / 3.0, 2 / 3.0, 0 }, { 0, 1 / 3.0, 2 / 3.0 } };
        for (int t = 0; t < 3; t++)
            for (int p = 0; p < 3; p++)
                Assert.Equal(expected[t, p], n[t, p], 15);
    }

    [Fact]
    public void A_class_without_samples_has_a_zero_row_not_NaN()
    {
        // class 2 is only predicted: its row has no samples -> zeros (sklearn's nan_to_num)
        var m = ConfusionMatrix.From([0, 0, 1, 1], [0, 2, 1, 1], 3);
        Assert.Equal(new[] { new[] { 0.5, 0, 0.5 }, [0, 1, 0], [0, 0, 0] }, m.NormalizedRows());
        Assert.Equal(1, m.PredictedCount(2));
        Assert.Equal(0, m.Support(2));
    }

    [Fact]
    public void No_samples_gives_all_zeros()
    {
        var m = ConfusionMatrix.From([], [], 2);
        Assert.Equal(0, m.Total);
        Assert.All(m.NormalizedRows().SelectMany(r => r), v => Assert.Equal(0.0, v));
    }

    [Fact]
    public void Lengths_that_differ_are_an_error_naming_both()
    {
        var e = Assert.Throws<ArgumentException>(() => ConfusionMatrix.From([0, 1, 1], [0, 1], 2));
        Assert.Contains("3 labels but 2 predictions", e.Message);
    }

    [Theory]
    [InlineData(new[] { 0, 3 }, new[] { 0, 1 }, "Label 3 at position 1 is not a class: classes are 0 to 2")]
    [InlineData(new[] { 0, 1 }, new[] { -1, 1 }, "Prediction -1 at position 0 is not a class")]
    public void Labels_outside_the_classes_are_an_error(int[] labels, int[] predicted, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => ConfusionMatrix.From(labels, predicted, 3));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void From_counts_copies_and_checks()
    {
        var counts = new[,] { { 1, 2 }, { 3, 4 } };
        var m = ConfusionMatrix.FromCounts(counts);
        counts[0, 0] = 99;
        Assert.Equal(1, m[0, 0]);
        Assert.Throws<ArgumentException>(() => ConfusionMatrix.FromCounts(new int[2, 3]));
        Assert.Throws<ArgumentException>(() => ConfusionMatrix.FromCounts(new[,] { { 1, -1 }, { 0, 0 } }));
    }
}
