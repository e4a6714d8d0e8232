using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ImageClassifier.Recipes;
using ImageClassifier.Reporting;
using ImageClassifier.IO;

namespace ImageClassifier.Tuning;

/// <summary>What a report of a study needs beyond its trials.</summary>
public sealed record TuningSummary(int Planned, bool Complete, TimeSpan? Budget, TimeSpan Elapsed, TrainingRecipe? BestRecipe);

/// <summary>
/// The files of a study besides study.json: trials.csv and trials.json (one row per trial: its place in the plan, status,
/// validation accuracy and loss, epochs, time and values), best.json (the best trial's recipe), search.png and tune.html.
/// </summary>
public static class TuningFiles
{
    public const string TrialsCsv = "trials.csv", TrialsJson = "trials.json", BestConfig = "best.json", Plot = "search.png", Report = "tune.html";

    static readonly string[] Columns = ["trial", "config", "bracket", "rung", "epochs", "status", "val_accuracy", "val_loss", "best_epoch", "epochs_trained", "seconds"];

    /// <summary>Writes trials.csv and trials.json (each through a temporary file).</summary>
    public static void WriteTables(string folder, StudyState state, SearchSpace space)
    {
        var names = space.Parameters.Select(p => p.Name).ToArray();
        var csv = new StringBuilder(string.Join(",", [.. Columns, .. names, "error"])).Append('\n');
        foreach (var t in state.Trials)
        {
            string[] cells =
            [
                Int(t.Number), Int(t.Config), Int(t.Bracket), Int(t.Rung), Int(t.Epochs), t.Status, Real(t.ValAccuracy), Real(t.ValLoss),
                Int(t.BestEpoch), Int(t.EpochsTrained), Real(t.Seconds), .. names.Select(n => Raw(t.Params[n])), t.Error ?? "",
            ];
            csv.Append(Csv.Line(cells)).Append('\n'); // RFC 4180: augmentation specs hold commas
        }
        Write(Path.Combine(folder, TrialsCsv), csv.ToString());
        Write(Path.Combine(folder, TrialsJson), JsonSerializer.Serialize(state.Trials, TrainingResult.JsonOptions) + "\n");
    }

    /// <summary>Writes search.png and tune.html; returns the page's full path.</summary>
    public static string WritePictures(string folder, StudyState state, SearchSpace space, TuningSummary summary)
    {
        byte[] plot = SearchPlot.Render(state.Trials, space);
        Png.Write(Path.Combine(folder, Plot), plot);
        string path = Path.GetFullPath(Path.Combine(folder, Report));
        Write(path, TuningReport.Render(state, space, summary, plot));
        return path;
    }

    /// <summary>A value as the CSV holds it: numbers and true/false as JSON writes them, strings bare, null empty.</summary>
    static string Raw(JsonNode? value) => value switch
    {
        null => "",
        JsonValue v when v.TryGetValue(out string? text) => text,
        _ => value.ToJsonString(),
    };

    static string Int(int value) => Csv.Number(value);
    static string Real(double value) => double.IsNaN(value) ? "" : Csv.Number(value);

    static void Write(string path, string text) => AtomicFile.WriteAllText(path, text);
}
