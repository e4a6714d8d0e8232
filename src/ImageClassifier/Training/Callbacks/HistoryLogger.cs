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
            AtomicFile.WriteAllText(csvPath, string.Join("\n", lines) + "\n");
        }
        if (jsonPath is not null)
            AtomicFile.WriteAllText(jsonPath, JsonSerializer.Serialize(epochs, new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
    }
}
