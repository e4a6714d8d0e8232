namespace ImageClassifier.Data.Loading;

/// <summary>Chooses the items of an epoch and their order (PyTorch's Sampler).</summary>
public interface ISampler
{
    /// <summary>Item indices for <paramref name="epoch"/> (1-based) of a source of <paramref name="count"/> items.</summary>
    int[] Order(int count, int epoch);
}

/// <summary>Every item once, in order.</summary>
public sealed class SequentialSampler : ISampler
{
    public int[] Order(int count, int epoch) => Enumerable.Range(0, count).ToArray();
}

/// <summary>Every item once, in a fresh order each epoch; the same seed gives the same orders.</summary>
public sealed class ShuffleSampler(int seed) : ISampler
{
    public int[] Order(int count, int epoch)
    {
        var order = Enumerable.Range(0, count).ToArray();
        new Random(unchecked(seed * 1_000_003 + epoch)).Shuffle(order); // HashCode.Combine would differ per process
        return order;
    }
}
