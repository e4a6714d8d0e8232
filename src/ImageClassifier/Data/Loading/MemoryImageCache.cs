using System.Collections.Concurrent;
using ImageClassifier.Imaging;

namespace ImageClassifier.Data.Loading;

/// <summary>
/// Decoded images in memory, never more than a byte budget. Once full it keeps what it has rather than
/// evicting: epochs visit files in a fresh random order, so any eviction policy would drop images about
/// as often as it kept them, while a stable set gives a steady hit rate of budget / dataset size.
/// </summary>
public sealed class MemoryImageCache : DecodedImageCache
{
    readonly ConcurrentDictionary<(string Path, ImageShape Shape), byte[]> images = new();
    long used;

    public MemoryImageCache(long budgetBytes)
    {
        if (budgetBytes < 1) throw new ArgumentOutOfRangeException(nameof(budgetBytes), budgetBytes, "A memory cache needs a budget of at least one byte.");
        BudgetBytes = budgetBytes;
    }

    public long BudgetBytes { get; }
    public int Count => images.Count;
    public override long StoredBytes => Interlocked.Read(ref used);
    public override string? Failure => null;

    protected override bool Lookup(string path, ImageShape shape, Span<byte> destination)
    {
        if (!images.TryGetValue((path, shape), out var pixels)) return false;
        pixels.CopyTo(destination);
        return true;
    }

    public override void Put(string path, ImageShape shape, ReadOnlySpan<byte> pixels)
    {
        // Reserve first, so that workers putting at once can never overshoot the budget together.
        if (Interlocked.Add(ref used, pixels.Length) > BudgetBytes || !images.TryAdd((path, shape), pixels.ToArray()))
            Interlocked.Add(ref used, -pixels.Length);
    }

    public override string ToString() => $"memory cache: {Count:N0} images, {StoredBytes / 1e6:0.#} of {BudgetBytes / 1e6:0.#} MB";
}
