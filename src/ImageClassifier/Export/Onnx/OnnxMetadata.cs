using System.Reflection;
using System.Text.Json;
using ImageClassifier.Imaging;
using ImageClassifier.Models;

namespace ImageClassifier.Export.Onnx;

/// <summary>
/// What an exported model says about itself, kept in the ONNX file's metadata_props (read back by ONNX Runtime's
/// ModelMetadata.CustomMetadataMap, onnx.load(...).metadata_props in Python): class names, input shape,
/// preprocessing and whether it is in the graph, what the output is, the architecture and the project version.
/// </summary>
public sealed record OnnxModelInfo(
    string Architecture, IReadOnlyList<string> ClassNames, ImageShape InputShape, Preprocessing Preprocessing,
    bool PreprocessingInGraph, bool OutputsProbabilities, string ProjectVersion, string? TrainedOn = null)
{
    public string InputName => PreprocessingInGraph ? OnnxMetadata.PixelsInput : OnnxMetadata.FloatInput;
    public string OutputName => OutputsProbabilities ? OnnxMetadata.ProbabilitiesOutput : OnnxMetadata.LogitsOutput;
}

/// <summary>Writes and reads <see cref="OnnxModelInfo"/> as metadata_props (keys imgclass.*; lists and records as JSON).</summary>
public static class OnnxMetadata
{
    public const string PixelsInput = "pixels", FloatInput = "input", LogitsOutput = "logits", ProbabilitiesOutput = "probabilities";
    public const int FormatVersion = 1;

    const string Prefix = "imgclass.";
    const string Format = Prefix + "format_version", Version = Prefix + "version", Architecture = Prefix + "architecture",
        ClassNames = Prefix + "class_names", InputShape = Prefix + "input_shape", PreprocessingKey = Prefix + "preprocessing",
        InGraph = Prefix + "preprocessing_in_graph", Output = Prefix + "output", TrainedOn = Prefix + "trained_on";

    static readonly JsonSerializerOptions json = new(JsonSerializerDefaults.Web);

    /// <summary>This library's version (its informational version, e.g. 1.0.0+commit), as written in every export.</summary>
    public static string ProjectVersion { get; } =
        typeof(OnnxMetadata).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(OnnxMetadata).Assembly.GetName().Version?.ToString() ?? "unknown";

    public static IEnumerable<KeyValuePair<string, string>> Entries(OnnxModelInfo info)
    {
        yield return new(Format, FormatVersion.ToString());
        yield return new(Version, info.ProjectVersion);
        yield return new(Architecture, info.Architecture);
        yield return new(ClassNames, JsonSerializer.Serialize(info.ClassNames, json));
        yield return new(InputShape, JsonSerializer.Serialize(new[] { info.InputShape.Channels, info.InputShape.Height, info.InputShape.Width }, json));
        yield return new(PreprocessingKey, JsonSerializer.Serialize(info.Preprocessing, json));
        yield return new(InGraph, info.PreprocessingInGraph ? "true" : "false");
        yield return new(Output, info.OutputsProbabilities ? ProbabilitiesOutput : LogitsOutput);
        if (info.TrainedOn is not null) yield return new(TrainedOn, info.TrainedOn);
    }

    /// <summary>Reads the metadata of the ONNX file <paramref name="path"/>; a file imgclass did not export is a clear error.</summary>
    public static OnnxModelInfo Read(IReadOnlyDictionary<string, string> metadata, string path)
    {
        string Get(string key) => metadata.TryGetValue(key, out string? value) ? value
            : throw new ModelException($"{path}: not an ONNX model exported by imgclass (its metadata has no {key}). Export models with `imgclass export MODEL --format onnx`.");
        if (!int.TryParse(Get(Format), out int format) || format > FormatVersion)
            throw new ModelException($"{path}: exported by a newer imgclass (metadata format {Get(Format)}); this one reads format {FormatVersion}. Upgrade imgclass.");
        try
        {
            string[] classes = JsonSerializer.Deserialize<string[]>(Get(ClassNames), json) ?? [];
            int[] shape = JsonSerializer.Deserialize<int[]>(Get(InputShape), json) ?? [];
            var preprocessing = JsonSerializer.Deserialize<Preprocessing>(Get(PreprocessingKey), json) ?? Preprocessing.UnitRange;
            if (classes.Length < 2 || shape.Length != 3 || shape.Any(d => d < 1))
                throw new JsonException($"{classes.Length} class names and input shape [{string.Join(", ", shape)}]");
            return new OnnxModelInfo(Get(Architecture), classes, new ImageShape(shape[0], shape[1], shape[2]), preprocessing,
                Get(InGraph) == "true", Get(Output) == ProbabilitiesOutput, Get(Version), metadata.GetValueOrDefault(TrainedOn));
        }
        catch (JsonException e)
        {
            throw new ModelException($"{path}: damaged imgclass metadata ({e.Message}).", e);
        }
    }
}
