using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImageClassifier.Training;

/// <summary>Reads the history.json that <see cref="Callbacks.HistoryLogger"/> writes (a list of each epoch's logs).</summary>
public static class HistoryFile
{
    public const string JsonName = "history.json";

    static readonly JsonSerializerOptions options = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public static History Read(string path)
    {
        List<Dictionary<string, double>>? epochs;
        try
        {
            epochs = JsonSerializer.Deserialize<List<Dictionary<string, double>>>(File.ReadAllText(path), options);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a training history (a JSON list of each epoch's metrics): {e.Message}", e);
        }
        var history = new History();
        foreach (var epoch in epochs ?? []) history.Add(epoch);
        return history;
    }

    /// <summary>The history.json beside a model file (or in a training output folder), or null when there is none.</summary>
    public static string? Beside(string modelPath)
    {
        string folder = Directory.Exists(modelPath) ? modelPath : Path.GetDirectoryName(Path.GetFullPath(modelPath))!;
        string path = Path.Combine(folder, JsonName);
        return File.Exists(path) ? path : null;
    }
}
