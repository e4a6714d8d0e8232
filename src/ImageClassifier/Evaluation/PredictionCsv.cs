using System.Globalization;
using ImageClassifier.IO;

namespace ImageClassifier.Evaluation;

/// <summary>Predictions as CSV: source, true_class, class_i and probability_i for the top k, note. predict --format csv and --output write it.</summary>
public static class PredictionCsv
{
    public static string Header(int topK) => Csv.Line(Enumerable.Range(1, topK).SelectMany(i => new[] { $"class_{i}", $"probability_{i}" })
        .Prepend("true_class").Prepend("source").Append("note"));

    /// <summary>One prediction's record, with empty class columns up to <paramref name="topK"/> where it has fewer (a skipped file has none).</summary>
    public static string Row(Prediction prediction, int topK) => Csv.Line(
        Enumerable.Range(0, topK).SelectMany(i => i < prediction.Top.Count
                ? new[] { prediction.Top[i].Name, prediction.Top[i].Probability.ToString("0.######", CultureInfo.InvariantCulture) }
                : ["", ""])
            .Prepend(prediction.TrueClass ?? "").Prepend(prediction.Source).Append(prediction.Note ?? ""));
}
