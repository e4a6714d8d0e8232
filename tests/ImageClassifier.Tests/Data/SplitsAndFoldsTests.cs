using ImageClassifier.Data;
using ImageClassifier.Imaging;

namespace ImageClassifier.Tests.Data;

public class SplitsAndFoldsTests
{
    static readonly int[] PerClass = [200, 60, 25, 5];

    static int[] ShuffledLabels(int seed = 5)
    {
        var labels = PerClass.SelectMany((n, c) => Enumerable.Repeat(c, n)).ToArray();
        new Random(seed).Shuffle(labels);
        return labels;
    }

    static int[] Count(IEnumerable<int> indices, int[] labels)
    {
        var counts = new int[PerClass.Length];
        foreach (int i in indices) counts[labels[i]]++;
        return counts;
    }

    [Fact]
    public void A_three_way_stratified_split_keeps_each_class_ratio_and_covers_the_data_once()
    {
        var labels = ShuffledLabels();
        var (train, validation, test) = Splits.StratifiedIndices(labels, 4, validationFraction: 0.2, testFraction: 0.1, seed: 1);
        Assert.Equal([20, 6, 3, 1], Count(test, labels));       // round(n * 0.1), at least one
        Assert.Equal([40, 12, 5, 1], Count(validation, labels)); // round(n * 0.2), at least one
        Assert.Equal([140, 42, 17, 3], Count(train, labels));
        var all = train.Concat(validation).Concat(test).Order().ToArray();
        Assert.Equal(Enumerable.Range(0, labels.Length), all);
        Assert.Equal(train.Order(), train);
        Assert.Equal(Splits.StratifiedIndices(labels, 4, 0.2, 0.1, seed: 1).Test, test);
        Assert.NotEqual(Splits.StratifiedIndices(labels, 4, 0.2, 0.1, seed: 2).Test, test);
    }

    [Fact]
    public void The_dataset_form_of_the_three_way_split_names_its_parts()
    {
        var labels = ShuffledLabels();
        var data = new ImageDataset("d", new ImageShape(1, 1, 1), ["a", "b", "c", "d"], new byte[labels.Length], labels);
        var (train, validation, test) = Splits.StratifiedSplit(data, 0.2, 0.1, seed: 1);
        Assert.Equal(("d:train", "d:validation", "d:test"), (train.Name, validation.Name, test.Name));
        Assert.Equal(data.Count, train.Count + validation.Count + test.Count);
        Assert.Throws<ArgumentException>(() => Splits.StratifiedSplit(data, 0.6, 0.4, seed: 1));
    }

    [Theory]
    [InlineData(5, true)]
    [InlineData(3, false)]
    public void K_fold_folds_are_disjoint_cover_the_data_and_differ_in_size_by_at_most_one(int k, bool shuffle)
    {
        var folds = Splits.KFold(290, k, seed: 3, shuffle);
        Assert.Equal(k, folds.Count);
        var held = folds.SelectMany(f => f.Validation).Order().ToArray();
        Assert.Equal(Enumerable.Range(0, 290), held); // every item held out exactly once
        foreach (var fold in folds)
        {
            Assert.Empty(fold.Train.Intersect(fold.Validation));
            Assert.Equal(290, fold.Train.Length + fold.Validation.Length);
        }
        Assert.True(folds.Max(f => f.Validation.Length) - folds.Min(f => f.Validation.Length) <= 1);
        if (!shuffle) Assert.Equal(Enumerable.Range(0, 97), folds[0].Validation);
    }

    [Fact]
    public void Stratified_k_fold_gives_each_fold_each_class_share_to_within_one_image()
    {
        var labels = ShuffledLabels();
        var folds = Splits.StratifiedKFold(labels, 4, folds: 5, seed: 7);
        Assert.Equal(Enumerable.Range(0, labels.Length), folds.SelectMany(f => f.Validation).Order());
        for (int c = 0; c < PerClass.Length; c++)
        {
            var perFold = folds.Select(f => Count(f.Validation, labels)[c]).ToArray();
            Assert.True(perFold.Max() - perFold.Min() <= 1, $"class {c}: {string.Join(", ", perFold)}");
            Assert.Equal(PerClass[c], perFold.Sum());
        }
        foreach (var fold in folds) Assert.Empty(fold.Train.Intersect(fold.Validation));
        Assert.Equal(folds.Select(f => f.Validation), Splits.StratifiedKFold(labels, 4, 5, seed: 7).Select(f => f.Validation));
    }

    [Fact]
    public void More_folds_than_the_smallest_class_has_images_is_a_clear_error()
    {
        var error = Assert.Throws<ArgumentException>(() => Splits.StratifiedKFold(ShuffledLabels(), 4, folds: 6, seed: 1, ["big", "mid", "small", "tiny"]));
        Assert.Equal("6 stratified folds need at least 6 images of every class, but class 'tiny' has only 5; use at most 5 folds.", error.Message);
        Assert.Contains("need at least 10 images", Assert.Throws<ArgumentException>(() => Splits.KFold(9, 10, seed: 1)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Splits.KFold(9, 1, seed: 1));
    }
}
