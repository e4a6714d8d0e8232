using ImageClassifier.Data.Loading;
using ImageClassifier.Distributed;

namespace ImageClassifier.Tests.Distributed;

public class DistributedSamplerTests
{
    [Theory]
    [InlineData(100, 2)]
    [InlineData(101, 2)]
    [InlineData(10, 3)]
    [InlineData(5, 8)] // more ranks than items: padding repeats items
    public void Shares_are_equal_in_length_and_together_cover_the_epoch(int count, int ranks)
    {
        var whole = new ShuffleSampler(7);
        var shares = Enumerable.Range(0, ranks).Select(r => new DistributedSampler(whole, r, ranks).Order(count, 3)).ToList();

        int share = (count + ranks - 1) / ranks;
        Assert.All(shares, s => Assert.Equal(share, s.Length));
        Assert.Equal(Enumerable.Range(0, count), shares.SelectMany(s => s).Distinct().Order());
        // Without padding no item is in two shares; the padding repeats the epoch's first items only.
        int padding = share * ranks - count;
        Assert.Equal(padding, shares.SelectMany(s => s).Count() - count);
        Assert.Equal(whole.Order(count, 3).Take(padding).Order(), shares.SelectMany(s => s).GroupBy(i => i).Where(g => g.Count() > 1).Select(g => g.Key).Order());
    }

    [Fact]
    public void The_ranks_kth_batches_together_are_the_single_process_kth_batch()
    {
        var whole = new ShuffleSampler(42);
        var single = whole.Order(256, 2);
        var rank0 = new DistributedSampler(whole, 0, 2).Order(256, 2);
        var rank1 = new DistributedSampler(whole, 1, 2).Order(256, 2);

        for (int k = 0; k < 256 / 64; k++)
            Assert.Equal(single.Skip(64 * k).Take(64).Order(), rank0.Skip(32 * k).Take(32).Concat(rank1.Skip(32 * k).Take(32)).Order());
    }

    [Fact]
    public void Each_epoch_is_a_new_shuffle_the_same_on_every_rank()
    {
        var a = new DistributedSampler(new ShuffleSampler(1), 0, 2);
        var b = new DistributedSampler(new ShuffleSampler(1), 0, 2);
        Assert.Equal(a.Order(50, 1), b.Order(50, 1));
        Assert.NotEqual(a.Order(50, 1), a.Order(50, 2));
    }

    [Fact]
    public void Splits_weighted_draws_so_oversampling_works_across_ranks()
    {
        int[] labels = [.. Enumerable.Repeat(0, 90), .. Enumerable.Repeat(1, 10)];
        var weighted = WeightedSampler.ForBalancedClasses(labels, seed: 3);
        var draws = Enumerable.Range(0, 2).SelectMany(r => new DistributedSampler(weighted, r, 2).Order(100, 1)).ToList();

        Assert.Equal(weighted.Order(100, 1).Order(), draws.Order());
        Assert.InRange(draws.Count(i => labels[i] == 1), 35, 65); // the rare class about half the draws
    }

    [Fact]
    public void Refuses_a_rank_outside_the_job()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DistributedSampler(new SequentialSampler(), 2, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DistributedSampler(new SequentialSampler(), 0, 0));
    }
}
