using System.Text.Json;
using ImageClassifier.IO;

namespace ImageClassifier.Training.Callbacks;

/// <summary>
/// Writes the history after every epoch, so that nothing is lost if training is interrupted:
/// a CSV file (one row per epoch, like Keras' CSVLogger) and/or a JSON file (all epochs).
/// </summary>
public sealed class HistoryLogger(string? csvPath = null, string? jsonPath = null) : Callback
{
    public override void OnEpochEnd(TrainingContext context, int epoch, IReadOnlyDictionary<string, double> logs)
    {
        var epochs = context.History.Epochs;
        var columns = epochs.SelectMany(e => e.Keys).Distinct().ToList();
        if (csvPath is not null)
        {
            var lines = new List<string> { Csv.Line(columns) };
            lines.AddRange(epochs.Select(e => Csv.Line(columns.Select(c => e.TryGetValue(c, out double v) ? Csv.Number(v) : ""))));
            WriteAtomically(csvPath, string.Join("\n", lines) + "\n");
        }
        if (jsonPath is not null)
            WriteAtomically(jsonPath, JsonSerializer.Serialize(epochs, new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
    }

    static void WriteAtomically(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        string temp = path + ".tmp";
        File.WriteAllText(temp, text);
        File.Move(temp, path, overwrite: true);
    }
}
