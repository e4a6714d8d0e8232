using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using ImageClassifier.IO;

namespace ImageClassifier.Training.Checkpoints;

/// <summary>
/// A checkpoint on disk: a zip archive of checkpoint.json (the metadata, with the SHA-256 of every other entry),
/// checkpoint.json.sha256 (the metadata's own checksum) and the binary parts (weights, optimizer state, random
/// state, callbacks' tensors). Written through <see cref="AtomicFile"/>: a kill at any moment leaves the whole new
/// file or none. Read back only when every checksum matches; otherwise <see cref="CheckpointException"/> says which part is damaged.
/// </summary>
public static class CheckpointFile
{
    public const string Extension = ".ckpt";
    const string MetadataEntry = "checkpoint.json", MetadataChecksumEntry = "checkpoint.json.sha256";

    internal static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static void Write(string path, TrainingCheckpoint checkpoint)
    {
        var checksums = checkpoint.Entries.ToDictionary(e => e.Key, e => Sha256(e.Value));
        byte[] metadata = JsonSerializer.SerializeToUtf8Bytes(checkpoint.Metadata with { Checksums = checksums }, Json);
        AtomicFile.Write(path, stream =>
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
            // Stored, not deflated: weights hardly compress, and a checkpoint is written every epoch.
            foreach (var (name, bytes) in checkpoint.Entries) Add(zip, name, bytes);
            Add(zip, MetadataEntry, metadata);
            Add(zip, MetadataChecksumEntry, System.Text.Encoding.ASCII.GetBytes(Sha256(metadata)));
        });
        checkpoint.Path = Path.GetFullPath(path);
    }

    public static TrainingCheckpoint Read(string path)
    {
        if (!File.Exists(path)) throw new CheckpointException(path, "no such checkpoint file.");
        try
        {
            using var zip = ZipFile.OpenRead(path);
            byte[] metadataBytes = ReadEntry(zip, path, MetadataEntry);
            string expected = System.Text.Encoding.ASCII.GetString(ReadEntry(zip, path, MetadataChecksumEntry)).Trim();
            if (Sha256(metadataBytes) != expected) throw new CheckpointException(path, $"damaged: {MetadataEntry} does not match its checksum.");
            var metadata = JsonSerializer.Deserialize<CheckpointMetadata>(metadataBytes, Json)
                ?? throw new CheckpointException(path, $"damaged: {MetadataEntry} is empty.");
            if (metadata.Format != CheckpointMetadata.FormatName) throw new CheckpointException(path, "not an ImageClassifier training checkpoint.");
            if (metadata.Version > CheckpointMetadata.FormatVersion)
                throw new CheckpointException(path, $"written by a newer ImageClassifier (checkpoint format {metadata.Version}); this one reads format {CheckpointMetadata.FormatVersion}.");
            if (metadata.Version < CheckpointMetadata.FormatVersion)
                throw new CheckpointException(path, $"written by an earlier ImageClassifier (checkpoint format {metadata.Version}), whose optimizer state " +
                    $"this one (format {CheckpointMetadata.FormatVersion}) cannot continue: start the run again without resuming.");
            var entries = new Dictionary<string, byte[]>();
            foreach (var (name, checksum) in metadata.Checksums)
            {
                byte[] bytes = ReadEntry(zip, path, name);
                if (Sha256(bytes) != checksum) throw new CheckpointException(path, $"damaged: {name} does not match its checksum.");
                entries[name] = bytes;
            }
            foreach (string required in new[] { TrainingCheckpoint.WeightsEntry, TrainingCheckpoint.OptimizerEntry, TrainingCheckpoint.RandomEntry })
                if (!entries.ContainsKey(required)) throw new CheckpointException(path, $"damaged: it has no {required}.");
            return new TrainingCheckpoint(metadata, entries, Path.GetFullPath(path));
        }
        catch (Exception e) when (e is InvalidDataException or JsonException or EndOfStreamException or NotSupportedException)
        {
            throw new CheckpointException(path, $"damaged: {e.Message}", e);
        }
    }

    static void Add(ZipArchive zip, string name, byte[] bytes)
    {
        using var entry = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
        entry.Write(bytes);
    }

    static byte[] ReadEntry(ZipArchive zip, string path, string name)
    {
        var entry = zip.GetEntry(name) ?? throw new CheckpointException(path, $"damaged: it has no {name}.");
        using var stream = entry.Open();
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}

/// <summary>A checkpoint file that cannot be used, with the path and the reason.</summary>
public sealed class CheckpointException(string path, string problem, Exception? inner = null)
    : IOException($"Checkpoint {path}: {problem}", inner)
{
    public string CheckpointPath { get; } = path;
}
