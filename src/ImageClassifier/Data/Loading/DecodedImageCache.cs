using System.Globalization;
using ImageClassifier.Imaging;

namespace ImageClassifier.Data.Loading;

/// <summary>
/// Decoded, resized images kept between epochs so that each file is decoded once: in memory within a
/// byte budget (<see cref="InMemory"/>) or as raw pixel files in a folder (<see cref="OnDisk"/>).
/// Thread-safe: the streaming loader's workers share one cache.
/// </summary>
public abstract class DecodedImageCache
{
    public const long DefaultMemoryBudgetMB = 1024;

    long hits, misses;

    public long Hits => Interlocked.Read(ref hits);
    public long Misses => Interlocked.Read(ref misses);

    /// <summary>Bytes of pixels the cache holds now.</summary>
    public abstract long StoredBytes { get; }

    /// <summary>Why the cache stopped storing images (e.g. its disk filled up), or null.</summary>
    public abstract string? Failure { get; }

    public static DecodedImageCache InMemory(long budgetBytes) => new MemoryImageCache(budgetBytes);

    /// <summary>A disk cache in <paramref name="folder"/>, created when missing; throws at once when it cannot be written.</summary>
    public static DecodedImageCache OnDisk(string folder) => new DiskImageCache(folder);

    /// <summary>"memory" (1 GB), "memory:MB" or "disk:FOLDER", as the CLI's --cache takes them.</summary>
    public static DecodedImageCache Parse(string spec)
    {
        string value = spec.Trim();
        if (value.Equals("memory", StringComparison.OrdinalIgnoreCase)) return InMemory(DefaultMemoryBudgetMB << 20);
        if (value.StartsWith("memory:", StringComparison.OrdinalIgnoreCase))
        {
            string mb = value["memory:".Length..];
            if (!long.TryParse(mb, NumberStyles.None, CultureInfo.InvariantCulture, out long megabytes) || megabytes < 1 || megabytes > 1L << 24)
                throw new ArgumentException($"The memory cache size must be a whole number of megabytes (1 or more), as in memory:512, not '{mb}'.");
            return InMemory(megabytes << 20);
        }
        if (value.StartsWith("disk:", StringComparison.OrdinalIgnoreCase) && value.Length > "disk:".Length)
            return OnDisk(value["disk:".Length..]);
        throw new ArgumentException($"The cache must be memory, memory:MB or disk:FOLDER, not '{spec}'.");
    }

    /// <summary>Copies the image of <paramref name="path"/> at <paramref name="shape"/> into <paramref name="destination"/> when cached.</summary>
    public bool TryGet(string path, ImageShape shape, Span<byte> destination)
    {
        bool found = Lookup(path, shape, destination);
        Interlocked.Increment(ref found ? ref hits : ref misses);
        return found;
    }

    /// <summary>Stores a decoded image; a full or failed cache quietly stores nothing (see <see cref="Failure"/>).</summary>
    public abstract void Put(string path, ImageShape shape, ReadOnlySpan<byte> pixels);

    protected abstract bool Lookup(string path, ImageShape shape, Span<byte> destination);
}
