using ImageClassifier.Data.Loading;

namespace ImageClassifier.Distributed;

/// <summary>
/// One rank's share of every epoch (PyTorch's DistributedSampler): each rank draws the same order from
/// <paramref name="inner"/> (the same seed gives the same shuffle, or the same weighted draws, everywhere),
/// pads it by repeating its first items to a multiple of <paramref name="size"/>, and takes every
/// size-th item from position <paramref name="rank"/>. The shares do not overlap, together they cover the
/// epoch, and every rank gets the same number of items, so every rank runs the same number of steps.
/// Interleaving (rather than contiguous blocks) makes the ranks' k-th batches together exactly the
/// single process's k-th batch of size-times-as-many items.
/// </summary>
public sealed class DistributedSampler : ISampler
{
    readonly ISampler inner;

    public DistributedSampler(ISampler inner, int rank, int size)
    {
        if (size < 1) throw new ArgumentOutOfRangeException(nameof(size), size, "A job has at least one rank.");
        if (rank < 0 || rank >= size) throw new ArgumentOutOfRangeException(nameof(rank), rank, $"The rank must be in [0, {size}).");
        this.inner = inner;
        Rank = rank;
        Size = size;
    }

    public int Rank { get; }
    public int Size { get; }

    public int[] Order(int count, int epoch)
    {
        var all = inner.Order(count, epoch);
        if (all.Length == 0) return [];
        int share = (all.Length + Size - 1) / Size;
        var mine = new int[share];
        for (int i = 0; i < share; i++)
            mine[i] = all[(i * Size + Rank) % all.Length];
        return mine;
    }
}
