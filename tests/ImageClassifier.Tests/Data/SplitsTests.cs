using System.Buffers.Binary;
using ImageClassifier.Data;
using ImageClassifier.Imaging;

namespace ImageClassifier.Tests.Data;

public class SplitsTests
{
    private static readonly int[] PerClass = [100, 30, 7, 2, 1];

    /// <summary>Classes of very different sizes, shuffled together; each image's pixels hold its index.</summary>
    private static ImageDataset Imbalanced()
    {
        var labels = PerClass.SelectMany((n, c) => Enumerable.Repeat(c, n)).ToArray();
        new Random(5).Shuffle(labels);
        var pixels = new byte[labels.Length * 4];
        for (int i = 0; i < labels.Length; i++) BinaryPrimitives.WriteInt32LittleEndian(pixels.AsSpan(i * 4), i);
        return new ImageDataset("imb", new ImageShape(1, 2, 2), ["a", "b", "c", "d", "e"], pixels, labels);
    }

    private static int[] Indices(ImageDataset part) =>
        [.. Enumerable.Range(0, part.Count).Select(i => BinaryPrimitives.ReadInt32LittleEndian(part.Image(i)))];

    [Fact]
    public void Keeps_each_class_ratio_with_at_least_one_validation_image()
    {
        var (train, validation) = Splits.StratifiedSplit(Imbalanced(), 0.2, seed: 1);

        Assert.Equal([20, 6, 1, 1, 0], validation.ClassCounts());
        Assert.Equal([80, 24, 6, 1, 1], train.ClassCounts());
        Assert.Equal("imb:train", train.Name);
        Assert.Equal("imb:validation", validation.Name);
        Assert.Equal(new ImageShape(1, 2, 2), validation.Shape);
        Assert.Equal(5, validation.ClassCount);
    }

    [Fact]
    public void A_large_fraction_still_leaves_every_class_in_train()
    {
        var (train, validation) = Splits.StratifiedSplit(Imbalanced(), 0.9, seed: 1);
        Assert.Equal([90, 27, 6, 1, 0], validation.ClassCounts());
        Assert.All(train.ClassCounts(), n => Assert.True(n >= 1));
    }

    [Fact]
    public void Parts_are_disjoint_cover_the_data_and_keep_images_with_their_labels()
    {
        var data = Imbalanced();
        var (train, validation) = Splits.StratifiedSplit(data, 0.25, seed: 3);

        int[] t = Indices(train), v = Indices(validation);
        Assert.Empty(t.Intersect(v));
        Assert.Equal(Enumerable.Range(0, data.Count), t.Concat(v).Order());
        for (int i = 0; i < validation.Count; i++) Assert.Equal(data.Labels[v[i]], validation.Labels[i]);
        Assert.Equal(t.Order(), t); // original order kept
    }

    [Fact]
    public void Same_seed_same_split_other_seed_other_split()
    {
        var data = Imbalanced();
        int[] first = Indices(Splits.StratifiedSplit(data, 0.2, seed: 42).Validation);
        Assert.Equal(first, Indices(Splits.StratifiedSplit(data, 0.2, seed: 42).Validation));
        Assert.NotEqual(first, Indices(Splits.StratifiedSplit(data, 0.2, seed: 43).Validation));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void Fraction_must_be_strictly_between_0_and_1(double fraction)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Splits.StratifiedSplit(Imbalanced(), fraction, 1));
        Assert.Contains("between 0 and 1", e.Message);
    }
}
