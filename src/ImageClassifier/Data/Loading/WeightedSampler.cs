namespace ImageClassifier.Data.Loading;

/// <summary>
/// Draws items with replacement, each with a probability proportional to its weight (PyTorch's
/// WeightedRandomSampler): oversampling against class imbalance. An epoch is as many draws as the
/// source has items unless <paramref name="samplesPerEpoch"/> says otherwise; the same seed gives the
/// same draws.
/// </summary>
public sealed class WeightedSampler : ISampler
{
    readonly double[] cumulative;
    readonly int seed;
    readonly int? samplesPerEpoch;

    public WeightedSampler(IReadOnlyList<double> weights, int seed, int? samplesPerEpoch = null)
    {
        if (weights.Count == 0) throw new ArgumentException("A weighted sampler needs at least one weight.", nameof(weights));
        if (samplesPerEpoch is < 1) throw new ArgumentOutOfRangeException(nameof(samplesPerEpoch), samplesPerEpoch, "An epoch needs at least one draw.");
        cumulative = new double[weights.Count];
        double total = 0;
        for (int i = 0; i < weights.Count; i++)
        {
            double w = weights[i];
            if (!(w >= 0) || double.IsInfinity(w))
                throw new ArgumentException($"Sampling weights must be finite and not negative; item {i} has {w}.", nameof(weights));
            cumulative[i] = total += w;
        }
        if (total <= 0) throw new ArgumentException("Every sampling weight is 0: no item could be drawn.", nameof(weights));
        Weights = weights;
        this.seed = seed;
        this.samplesPerEpoch = samplesPerEpoch;
    }

    public IReadOnlyList<double> Weights { get; }

    /// <summary>Every class drawn equally often, whatever its size: each item weighs 1 / its class's count.</summary>
    public static WeightedSampler ForBalancedClasses(IReadOnlyList<int> labels, int seed, int? samplesPerEpoch = null)
    {
        var counts = Count(labels);
        return ForClassRates(labels, counts.Select(c => c > 0 ? 1.0 : 0).ToArray(), seed, samplesPerEpoch);
    }

    /// <summary>Classes drawn at the given relative rates (normalised; a class without items must have rate 0).</summary>
    public static WeightedSampler ForClassRates(IReadOnlyList<int> labels, IReadOnlyList<double> rates, int seed, int? samplesPerEpoch = null)
    {
        var counts = Count(labels, rates.Count);
        for (int c = 0; c < rates.Count; c++)
            if (rates[c] > 0 && counts[c] == 0)
                throw new ArgumentException($"Class {c} is to be drawn at rate {rates[c]} but has no items.", nameof(rates));
        var weights = labels.Select(l => rates[l] / counts[l]).ToArray();
        return new WeightedSampler(weights, seed, samplesPerEpoch);
    }

    public int[] Order(int count, int epoch)
    {
        if (count != cumulative.Length)
            throw new ArgumentException($"The sampler has {cumulative.Length} weights but the source has {count} items.");
        var random = new Random(unchecked(seed * 1_000_003 + epoch)); // as ShuffleSampler: the same per process
        double total = cumulative[^1];
        var order = new int[samplesPerEpoch ?? count];
        for (int i = 0; i < order.Length; i++)
            order[i] = FirstAbove(random.NextDouble() * total);
        return order;
    }

    // The item whose cumulative range [cumulative[i-1], cumulative[i]) holds u; zero weights have empty ranges.
    int FirstAbove(double u)
    {
        int low = 0, high = cumulative.Length - 1;
        while (low < high)
        {
            int mid = (low + high) >>> 1;
            if (cumulative[mid] > u) high = mid;
            else low = mid + 1;
        }
        return low;
    }

    static int[] Count(IReadOnlyList<int> labels, int? classes = null)
    {
        int n = classes ?? (labels.Count == 0 ? 0 : labels.Max() + 1);
        var counts = new int[n];
        foreach (int label in labels)
        {
            if (label < 0 || label >= n) throw new ArgumentException($"Label {label} is outside the {n} classes given rates.", nameof(labels));
            counts[label]++;
        }
        return counts;
    }
}
