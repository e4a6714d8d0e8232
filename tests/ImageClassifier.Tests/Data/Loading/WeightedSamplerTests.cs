using ImageClassifier.Data.Loading;

namespace ImageClassifier.Tests.Data.Loading;

public class WeightedSamplerTests
{
    // 900 / 90 / 10 images: a 90:1 imbalance.
    static readonly int[] Labels = [.. Enumerable.Repeat(0, 900), .. Enumerable.Repeat(1, 90), .. Enumerable.Repeat(2, 10)];

    /// <summary>
    /// The share of each class over <paramref name="draws"/> draws is within 5 binomial standard deviations,
    /// sqrt(p (1 - p) / n), of its rate: a false failure has odds below 1 in 1.7 million per class (and the
    /// seed is fixed, so the test is deterministic anyway).
    /// </summary>
    static void AssertRates(WeightedSampler sampler, double[] rates, int draws)
    {
        var order = sampler.Order(Labels.Length, epoch: 1);
        Assert.Equal(draws, order.Length);
        for (int c = 0; c < rates.Length; c++)
        {
            double share = order.Count(i => Labels[i] == c) / (double)draws;
            double tolerance = 5 * Math.Sqrt(rates[c] * (1 - rates[c]) / draws);
            Assert.True(Math.Abs(share - rates[c]) <= tolerance, $"class {c}: drawn {share:P2}, wanted {rates[c]:P2} ± {tolerance:P2}");
        }
    }

    [Fact]
    public void Balanced_sampling_draws_every_class_equally_often()
    {
        AssertRates(WeightedSampler.ForBalancedClasses(Labels, seed: 1, samplesPerEpoch: 60_000), [1 / 3.0, 1 / 3.0, 1 / 3.0], 60_000);
    }

    [Fact]
    public void Class_rates_are_drawn_as_asked()
    {
        AssertRates(WeightedSampler.ForClassRates(Labels, [0.6, 0.3, 0.1], seed: 2, samplesPerEpoch: 60_000), [0.6, 0.3, 0.1], 60_000);
    }

    [Fact]
    public void Items_within_a_class_are_drawn_alike_and_zero_weights_never()
    {
        var sampler = new WeightedSampler([0, 1, 1, 2, 0], seed: 3, samplesPerEpoch: 40_000);
        var order = sampler.Order(5, 1);
        Assert.DoesNotContain(0, order);
        Assert.DoesNotContain(4, order);
        double share3 = order.Count(i => i == 3) / 40_000.0;
        Assert.True(Math.Abs(share3 - 0.5) < 5 * Math.Sqrt(0.25 / 40_000), $"item 3: {share3}");
    }

    [Fact]
    public void An_epoch_defaults_to_one_draw_per_item_and_each_epoch_draws_afresh_under_a_seed()
    {
        var sampler = WeightedSampler.ForBalancedClasses(Labels, seed: 4);
        Assert.Equal(Labels.Length, sampler.Order(Labels.Length, 1).Length);
        Assert.Equal(sampler.Order(Labels.Length, 1), WeightedSampler.ForBalancedClasses(Labels, seed: 4).Order(Labels.Length, 1));
        Assert.NotEqual(sampler.Order(Labels.Length, 1), sampler.Order(Labels.Length, 2));
    }

    [Fact]
    public void Bad_weights_are_refused_clearly()
    {
        Assert.Contains("not negative", Assert.Throws<ArgumentException>(() => new WeightedSampler([1, -1], 1)).Message);
        Assert.Contains("Every sampling weight is 0", Assert.Throws<ArgumentException>(() => new WeightedSampler([0, 0], 1)).Message);
        Assert.Contains("has 3 weights but the source has 4", Assert.Throws<ArgumentException>(() => new WeightedSampler([1, 1, 1], 1).Order(4, 1)).Message);
    }
}
