using System.Text.Json;
using System.Text.Json.Serialization;
using ImageClassifier.Training;
using ImageClassifier.IO;

namespace ImageClassifier.Recipes;

/// <summary>What a <see cref="TrainingRecipe"/> run did: summary.json in the output folder, and train's --json output.</summary>
public sealed record TrainingResult(string Dataset, string Model, int Epochs, int BestEpoch, int TrainImages, int ValidationImages,
    double ValAccuracy, double? TestAccuracy, double? TestLoss, double Seconds, string Output, string ModelFile, string? Report,
    IReadOnlyList<StageSummary>? Stages = null, int? TestImages = null)
{
    public const string FileName = "summary.json";

    /// <summary>snake_case keys, indented, NaN allowed, nulls left out: the JSON the project writes everywhere.</summary>
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Writes summary.json atomically (a kill leaves the old file or the new one).</summary>
    public void Write(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, JsonOptions));
}

/// <summary>One transfer stage in summary.json: its epochs, best validation accuracy and parameter counts.</summary>
public sealed record StageSummary(string Stage, int Epochs, double BestValAccuracy, long TrainableParams, long NonTrainableParams,
    string? TrainableFrom, double? FeatureImagesPerS)
{
    public static StageSummary Of(StageResult r) => new(r.Stage, r.History.Count,
        r.History.Values("val_accuracy").DefaultIfEmpty(double.NaN).Max(), r.TrainableParameters, r.NonTrainableParameters,
        r.TrainableFrom, r.FeatureImagesPerSecond is double rate ? Math.Round(rate, 1) : null);
}
