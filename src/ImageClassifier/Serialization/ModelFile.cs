using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using ImageClassifier.Imaging;
using ImageClassifier.IO;
using ImageClassifier.Models;

namespace ImageClassifier.Serialization;

/// <summary>
/// The model file: one zip archive holding model.json (format version, architecture, class names, input
/// shape, preprocessing, training summary), weights.bin (TorchSharp's own state format, plain tensors: no
/// code is ever executed from a model file) and SHA256SUMS (the SHA-256 of the other two, as sha256sum
/// prints them, so `unzip -p model.imgclass SHA256SUMS` can be checked by hand).
/// <list type="bullet">
/// <item>Loading checks, before building anything: the format and its version (a newer one is refused,
/// naming both), both checksums (a flipped bit anywhere is "damaged", never a silently different model),
/// entry sizes against <see cref="InputLimits.MaxModelEntryBytes"/>, and that the architecture needs no
/// more parameters than the weights hold (<see cref="ParameterBudget"/>): a file claiming 2^30 units is
/// refused instead of allocating for it. The weights must then match the architecture tensor by tensor.</item>
/// <item>Format 1 files (no SHA256SUMS) still load: zip's own CRC-32 is checked on every entry instead.</item>
/// <item>Saving writes a temporary file in the same folder, flushes it to disk (fsync) and renames it over
/// the target, so a crash or a kill mid-save leaves the old file or the new one, never a torn one.</item>
/// </list>
/// </summary>
public static class ModelFile
{
    public const string Extension = ".imgclass";
    public const int FormatVersion = 2;
    const string Format = "imageclassifier-model";
    const string MetadataEntry = "model.json";
    const string WeightsEntry = "weights.bin";
    const string ChecksumEntry = "SHA256SUMS";

    internal static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    sealed record Metadata(string Format, int Version, ModelSpec Spec, IReadOnlyList<string> ClassNames,
        Preprocessing Preprocessing, TrainingSummary? Training, DateTime SavedUtc);

    public static void Save(this Classifier model, string path)
    {
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var metadata = new Metadata(Format, FormatVersion, model.Spec, model.ClassNames, model.Preprocessing, model.Training, DateTime.UtcNow);
        byte[] metadataBytes = JsonSerializer.SerializeToUtf8Bytes(metadata, Json);
        using var weights = new MemoryStream();
        using (var writer = new BinaryWriter(weights, Encoding.UTF8, leaveOpen: true)) model.Network.save(writer);
        string sums = $"{Sha256(metadataBytes)}  {MetadataEntry}\n{Sha256(weights.GetBuffer().AsSpan(0, (int)weights.Length))}  {WeightsEntry}\n";

        // Same folder, so the rename stays on one file system (atomic); the process id keeps two savers apart.
        string temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            using (var file = new FileStream(temp, FileMode.Create, FileAccess.ReadWrite, FileShare.None))
            {
                using (var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true))
                {
                    WriteEntry(zip, MetadataEntry, metadataBytes, CompressionLevel.Optimal);
                    WriteEntry(zip, WeightsEntry, weights.GetBuffer().AsSpan(0, (int)weights.Length), CompressionLevel.Fastest);
                    WriteEntry(zip, ChecksumEntry, Encoding.ASCII.GetBytes(sums), CompressionLevel.Optimal);
                }
                file.Flush(flushToDisk: true); // fsync: the data is on disk before the rename makes it the model
            }
            File.Move(temp, full, overwrite: true);
            DirectorySync.Flush(Path.GetDirectoryName(full)!); // and the rename itself
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    static void WriteEntry(ZipArchive zip, string name, ReadOnlySpan<byte> bytes, CompressionLevel level)
    {
        using var stream = zip.CreateEntry(name, level).Open();
        stream.Write(bytes);
    }

    public static Classifier Load(string path)
    {
        if (Directory.Exists(path))
        {
            string inside = Path.Combine(path, "model" + Extension);
            if (!File.Exists(inside)) throw new ModelFileException(path, $"is a folder without a model{Extension} file in it.");
            path = inside;
        }
        if (path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
            throw new ModelFileException(path, "an exported ONNX model: this command needs the imgclass model file (model" + Extension + "); predict and evaluate also take the .onnx.");
        if (!File.Exists(path)) throw new ModelFileException(path, "no such model file. Train one with `imgclass train`, which writes model" + Extension + " to its output folder.");
        if (FileKinds.NotRegularReason(path) is { } notRegular) throw new ModelFileException(path, notRegular + ".");
        ZipArchive zip;
        try
        {
            zip = ZipFile.OpenRead(path);
            _ = zip.Entries; // reads the central directory now, where its errors are caught, not at the first GetEntry
        }
        catch (InvalidDataException e) { throw new ModelFileException(path, "not an ImageClassifier model file (it is not a zip archive), or it is damaged.", e); }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        { throw new ModelFileException(path, $"damaged: its zip directory cannot be read ({e.Message}).", e); }
        using (zip)
        {
            byte[] metadataBytes = ReadEntry(zip, MetadataEntry, path, $"not an ImageClassifier model file (no {MetadataEntry} inside).");
            var (version, metadata) = ParseMetadata(metadataBytes, path);
            byte[] weightsBytes = ReadEntry(zip, WeightsEntry, path, $"damaged: it has no {WeightsEntry}.");
            if (version >= 2) VerifyChecksums(zip, path, metadataBytes, weightsBytes);

            // Every parameter and buffer takes at least 4 bytes of weights.bin: an architecture that needs more
            // than that does not belong to these weights, and is refused before it allocates anything.
            Classifier model;
            using (ParameterBudget.Limit(weightsBytes.Length / 4,
                $"the file's weights hold at most {weightsBytes.Length / 4:N0} values, so its architecture (model.json) does not match its weights"))
            {
                try { model = new Classifier(metadata.Spec, metadata.ClassNames, metadata.Preprocessing) { Training = metadata.Training }; }
                catch (ModelException e) { throw new ModelFileException(path, $"describes a model that cannot be built: {e.Message}", e); }
                catch (Exception e) when (e is ArgumentException or InvalidOperationException or OverflowException or System.Runtime.InteropServices.ExternalException)
                { throw new ModelFileException(path, $"describes a model that cannot be built ({e.Message}).", e); }
            }
            try
            {
                using var buffer = new MemoryStream(weightsBytes, writable: false);
                using var reader = new BinaryReader(buffer);
                model.Network.load(reader, strict: true);
                if (buffer.Position != buffer.Length)
                    throw new InvalidDataException($"{buffer.Length - buffer.Position} bytes follow the last tensor the architecture has");
            }
            catch (Exception e) when (e is not ModelFileException)
            {
                model.Dispose();
                throw new ModelFileException(path, $"its weights do not match its architecture ({metadata.Spec.Architecture}, {metadata.ClassNames.Count} classes), " +
                    $"or they are damaged: {FirstLine(e.Message)}", e);
            }
            return model;
        }
    }

    // Reads a whole entry, refusing sizes past the limit before allocating, and checking zip's CRC-32 (which
    // System.IO.Compression does not: a flipped bit in the deflated weights would otherwise load).
    static byte[] ReadEntry(ZipArchive zip, string name, string path, string missing)
    {
        var entry = zip.GetEntry(name) ?? throw new ModelFileException(path, missing);
        if (entry.Length > InputLimits.MaxModelEntryBytes || entry.Length < 0)
            throw new ModelFileException(path, $"its {name} declares {entry.Length:N0} bytes, more than the {InputLimits.MaxModelEntryBytes:N0} a model file may hold " +
                $"({InputLimits.RaiseHint("IMGCLASS_MAX_MODEL_FILE_MB")}); the file is damaged or not a model.");
        try
        {
            var bytes = new byte[entry.Length];
            using var stream = entry.Open();
            int read = stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
            if (read < bytes.Length || stream.ReadByte() >= 0)
                throw new InvalidDataException($"its data is not the {entry.Length:N0} bytes its header declares");
            if (System.IO.Hashing.Crc32.HashToUInt32(bytes) != entry.Crc32)
                throw new InvalidDataException("its CRC-32 does not match");
            return bytes;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException or ArgumentException)
        {
            throw new ModelFileException(path, $"damaged: {name} cannot be read ({FirstLine(e.Message)}). Copy the file again or retrain.", e);
        }
    }

    static void VerifyChecksums(ZipArchive zip, string path, byte[] metadataBytes, byte[] weightsBytes)
    {
        string sums = Encoding.ASCII.GetString(ReadEntry(zip, ChecksumEntry, path, $"damaged: it has no {ChecksumEntry} (format 2 files always do)."));
        foreach (var (name, bytes) in new[] { (MetadataEntry, metadataBytes), (WeightsEntry, weightsBytes) })
        {
            string? expected = sums.Split('\n').Select(line => line.Split("  ")).FirstOrDefault(parts => parts.Length == 2 && parts[1].Trim() == name)?[0];
            if (expected is null)
                throw new ModelFileException(path, $"damaged: {ChecksumEntry} has no checksum for {name}.");
            if (!string.Equals(expected, Sha256(bytes), StringComparison.OrdinalIgnoreCase))
                throw new ModelFileException(path, $"damaged: the SHA-256 of {name} does not match the one recorded when it was saved " +
                    "(the file was altered or corrupted after saving). Copy it again or retrain.");
        }
    }

    static (int Version, Metadata Metadata) ParseMetadata(byte[] bytes, string path)
    {
        Metadata? metadata;
        int version;
        try
        {
            using var document = JsonDocument.Parse(bytes);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var format)
                || format.ValueKind != JsonValueKind.String || format.GetString() != Format)
                throw new ModelFileException(path, "not an ImageClassifier model file (unknown format).");
            if (!root.TryGetProperty("version", out var v) || v.ValueKind != JsonValueKind.Number)
                throw new ModelFileException(path, "damaged metadata: it has no model format version.");
            // A version beyond int (1e20) is still "from the future", not a parse error.
            if (!v.TryGetDouble(out double number) || number != Math.Floor(number) || number < 1)
                throw new ModelFileException(path, $"has an invalid model format version ({v.GetRawText()}).");
            if (number > FormatVersion)
                throw new ModelFileException(path, $"written by a newer ImageClassifier (model format {v.GetRawText()}); this one reads format {FormatVersion} and older. Upgrade imgclass.");
            version = (int)number;
            metadata = root.Deserialize<Metadata>(Json);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NotSupportedException or FormatException or ArgumentException)
        {
            throw new ModelFileException(path, $"damaged metadata ({MetadataEntry}): {FirstLine(e.Message)}", e);
        }
        if (metadata?.Spec is null || metadata.ClassNames is null || metadata.Spec.Layers is null || metadata.Spec.InputShape is null
            || metadata.Spec.Layers.Any(layer => layer is null) || metadata.ClassNames.Any(name => name is null))
            throw new ModelFileException(path, $"damaged metadata ({MetadataEntry}): the architecture or class names are missing.");
        if (metadata.ClassNames.Count != metadata.Spec.ClassCount)
            throw new ModelFileException(path, $"damaged metadata ({MetadataEntry}): the architecture has {metadata.Spec.ClassCount} outputs but {metadata.ClassNames.Count} class names are listed.");
        return (version, metadata with { Preprocessing = metadata.Preprocessing ?? Preprocessing.UnitRange });
    }

    static string Sha256(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    static string FirstLine(string message) => message.Split('\n')[0].Trim();
}
