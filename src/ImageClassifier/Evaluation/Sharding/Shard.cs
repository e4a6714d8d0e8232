using System.Text;

namespace ImageClassifier.Evaluation.Sharding;

/// <summary>
/// One of <see cref="Count"/> disjoint parts of an image collection ("i/N", i from 0 to N-1, as a Kubernetes Indexed
/// Job's JOB_COMPLETION_INDEX or a Slurm array's SLURM_ARRAY_TASK_ID with --array=0-(N-1) number them). An image belongs
/// to the shard its key's 64-bit FNV-1a hash picks, modulo N: deterministic on every machine and run (unlike
/// string.GetHashCode), independent of listing order, and the N shards together hold every image exactly once.
/// </summary>
public sealed record Shard(int Index, int Count)
{
    public static Shard All { get; } = new(0, 1);

    public static Shard Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length != 2 || !int.TryParse(parts[0], out int index) || !int.TryParse(parts[1], out int count))
            throw new ArgumentException($"--shard must be i/N (e.g. 0/3), not '{text}'.");
        if (count < 1 || index < 0 || index >= count)
            throw new ArgumentException($"--shard {text}: i must be from 0 to N-1 (N at least 1), so 0/{Math.Max(count, 1)} to {Math.Max(count, 1) - 1}/{Math.Max(count, 1)}.");
        return new Shard(index, count);
    }

    /// <summary>Whether the image with <paramref name="key"/> (its path relative to the folder given) is in this shard.</summary>
    public bool Contains(string key) => Count == 1 || (int)(Hash(key) % (ulong)Count) == Index;

    /// <summary>64-bit FNV-1a of the key's UTF-8 bytes, '\' read as '/' so that Windows and Linux agree.</summary>
    public static ulong Hash(string key)
    {
        ulong hash = 14695981039346656037;
        foreach (byte b in Encoding.UTF8.GetBytes(key.Replace('\\', '/')))
            hash = (hash ^ b) * 1099511628211;
        return hash;
    }

    public override string ToString() => $"{Index}/{Count}";
}
