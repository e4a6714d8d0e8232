using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;
using ImageClassifier.Imaging;
using ImageClassifier.Models;

namespace ImageClassifier.Serialization;

/// <summary>
/// The model file: one zip archive holding model.json (format version, architecture, class
/// names, input shape, preprocessing, training summary) and weights.bin (TorchSharp's own
/// state format). Self-describing, so evaluate and predict need nothing else. Written to a
/// temporary file and moved into place, so a crash never leaves half a model behind.
/// </summary>
public static class ModelFile
{
    public const string Extension = ".imgclass";
    public const int FormatVersion = 1;
    const string Format = "imageclassifier-model";
    const string MetadataEntry = "model.json";
    const string WeightsEntry = "weights.bin";

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
        string temp = full + $".{Environment.ProcessId}.tmp";
        try
        {
            using (var zip = ZipFile.Open(temp, ZipArchiveMode.Create))
            {
                var metadata = new Metadata(Format, FormatVersion, model.Spec, model.ClassNames, model.Preprocessing, model.Training, DateTime.UtcNow);
                using (var stream = zip.CreateEntry(MetadataEntry).Open())
                    JsonSerializer.Serialize(stream, metadata, Json);
                using (var stream = zip.CreateEntry(WeightsEntry, CompressionLevel.Fastest).Open())
                using (var writer = new BinaryWriter(stream))
                    model.Network.save(writer);
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
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
        ZipArchive zip;
        try { zip = ZipFile.OpenRead(path); }
        catch (InvalidDataException e) { throw new ModelFileException(path, "not an ImageClassifier model file (it is not a zip archive), or it is damaged.", e); }
        using (zip)
        {
            var metadata = ReadMetadata(zip, path);
            Classifier model;
            try { model = new Classifier(metadata.Spec, metadata.ClassNames, metadata.Preprocessing) { Training = metadata.Training }; }
            catch (ModelException e) { throw new ModelFileException(path, $"describes a model that cannot be built: {e.Message}", e); }
            var weights = zip.GetEntry(WeightsEntry) ?? throw new ModelFileException(path, $"damaged: it has no {WeightsEntry}.");
            try
            {
                // TorchSharp's reader needs a seekable stream; the weights are small enough to buffer.
                using var buffer = new MemoryStream();
                using (var stream = weights.Open()) stream.CopyTo(buffer);
                buffer.Position = 0;
                using var reader = new BinaryReader(buffer);
                model.Network.load(reader);
            }
            catch (Exception e) when (e is not ModelFileException)
            {
                model.Dispose();
                throw new ModelFileException(path, $"damaged weights: {e.Message}", e);
            }
            return model;
        }
    }

    static Metadata ReadMetadata(ZipArchive zip, string path)
    {
        var entry = zip.GetEntry(MetadataEntry) ?? throw new ModelFileException(path, $"not an ImageClassifier model file (no {MetadataEntry} inside).");
        Metadata? metadata;
        try
        {
            using var stream = entry.Open();
            using var document = JsonDocument.Parse(stream);
            var root = document.RootElement;
            if (!root.TryGetProperty("format", out var format) || format.GetString() != Format)
                throw new ModelFileException(path, "not an ImageClassifier model file (unknown format).");
            int version = root.TryGetProperty("version", out var v) ? v.GetInt32() : 0;
            if (version > FormatVersion)
                throw new ModelFileException(path, $"written by a newer ImageClassifier (model format {version}); this one reads format {FormatVersion} and older. Upgrade imgclass.");
            if (version < 1)
                throw new ModelFileException(path, $"has an invalid model format version ({version}).");
            metadata = root.Deserialize<Metadata>(Json);
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or InvalidOperationException or NotSupportedException)
        {
            throw new ModelFileException(path, $"damaged metadata ({MetadataEntry}): {e.Message}", e);
        }
        if (metadata?.Spec is null || metadata.ClassNames is null)
            throw new ModelFileException(path, $"damaged metadata ({MetadataEntry}): the architecture or class names are missing.");
        return metadata with { Preprocessing = metadata.Preprocessing ?? Preprocessing.UnitRange };
    }
}
