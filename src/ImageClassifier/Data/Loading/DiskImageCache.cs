using System.Security.Cryptography;
using System.Text;
using ImageClassifier.Imaging;

namespace ImageClassifier.Data.Loading;

/// <summary>
/// Decoded images as raw pixel files in a folder, one per file and shape, named by a hash of the source
/// file's path, size, modification time and the shape: a changed file gets a fresh entry rather than a
/// stale one. Reading a few KB of raw pixels is far cheaper than decoding and resizing a JPEG again.
/// </summary>
public sealed class DiskImageCache : DecodedImageCache
{
    volatile string? failure;

    public DiskImageCache(string folder)
    {
        Folder = Path.GetFullPath(folder);
        // Fail now, with the folder named, rather than in the middle of the first epoch.
        try
        {
            Directory.CreateDirectory(Folder);
            string probe = Path.Combine(Folder, $".probe-{Guid.NewGuid():N}");
            File.WriteAllBytes(probe, [1]);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new DatasetException($"the image cache folder cannot be written: {e.Message}", Folder);
        }
    }

    public string Folder { get; }
    public override string? Failure => failure;
    public override long StoredBytes => Directory.EnumerateFiles(Folder, "*.px").Sum(f => new FileInfo(f).Length);

    protected override bool Lookup(string path, ImageShape shape, Span<byte> destination)
    {
        if (EntryFor(path, shape) is not { } entry) return false;
        try
        {
            using var stream = new FileStream(entry, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
            // A short or oversized entry (a crash while writing) counts as a miss and is written again.
            return stream.Length == destination.Length && stream.ReadAtLeast(destination, destination.Length, throwOnEndOfStream: false) == destination.Length;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }
    }

    public override void Put(string path, ImageShape shape, ReadOnlySpan<byte> pixels)
    {
        if (failure is not null || EntryFor(path, shape) is not { } entry) return;
        string temporary = entry + $".{Environment.CurrentManagedThreadId}.tmp";
        try
        {
            File.WriteAllBytes(temporary, pixels);
            File.Move(temporary, entry, overwrite: true); // readers never see half an entry
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            failure = $"stopped writing to the image cache {Folder}: {e.Message}";
            try { File.Delete(temporary); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    // Null when the source file cannot be looked at (e.g. deleted): the decoder then says why.
    string? EntryFor(string path, ImageShape shape)
    {
        var info = new FileInfo(path);
        if (!info.Exists) return null;
        string key = $"{info.FullName}\n{info.Length}\n{info.LastWriteTimeUtc.Ticks}\n{shape.Channels}x{shape.Height}x{shape.Width}";
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        return Path.Combine(Folder, Convert.ToHexStringLower(hash.AsSpan(0, 16)) + ".px");
    }

    public override string ToString() => $"disk cache in {Folder}";
}
