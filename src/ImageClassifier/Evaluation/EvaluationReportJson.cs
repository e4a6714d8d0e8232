using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImageClassifier.Evaluation;

/// <summary>
/// The JSON shape of an <see cref="EvaluationReport"/>: the CLI's evaluate keys (dataset, images,
/// loss, accuracy) first, then the rest, snake_case like the CLI's other JSON.
/// </summary>
internal static class EvaluationReportJson
{
    static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        // NaN is a legitimate zero_division result and must not fail the whole report
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string Serialize(EvaluationReport r)
    {
        var cr = r.ClassificationReport;
        return JsonSerializer.Serialize(new
        {
            dataset = r.Dataset,
            images = r.Images,
            loss = r.Loss,
            accuracy = r.Accuracy,
            top_k = r.TopK,
            top_k_accuracy = r.TopKAccuracy,
            log_loss = r.LogLoss,
            class_names = r.ClassNames,
            classification_report = new
            {
                zero_division = cr.ZeroDivision.Name(),
                classes = cr.Classes,
                accuracy = cr.Accuracy,
                macro_avg = cr.MacroAvg,
                weighted_avg = cr.WeightedAvg,
                warnings = cr.Warnings,
            },
            confusion_matrix = new { counts = r.ConfusionMatrix.ToRows(), normalized = r.ConfusionMatrix.NormalizedRows() },
            top_losses = r.TopLosses,
            worst_per_class = r.WorstPerClass,
            most_confused = r.MostConfused,
        }, Options);
    }
}
