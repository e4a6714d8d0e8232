using System.Text.Json.Nodes;

namespace ImageClassifier.Tuning;

/// <summary>
/// One training of a search: configuration <see cref="Config"/> (its values in <see cref="Params"/>) for <see cref="Epochs"/>
/// epochs, in a bracket's rung, and what came of it. <see cref="ValAccuracy"/> is the validation accuracy of its best epoch,
/// the one whose weights the recipe keeps (as summary.json's val_accuracy).
/// </summary>
public sealed record Trial
{
    /// <summary>Finished: trained its epochs (or early stopping ended it). Stopped: the budget ran out first (run again on resume). Failed: training raised an error.</summary>
    public const string Finished = "finished", Stopped = "stopped", Failed = "failed";

    /// <summary>1, 2, ...: the order of the study's plan.</summary>
    public int Number { get; init; }
    /// <summary>The configuration (1, 2, ...): the same number is the same values at every rung.</summary>
    public int Config { get; init; }
    /// <summary>The bracket (1-based, in the order run) and the rung in it (1-based).</summary>
    public int Bracket { get; init; }
    public int Rung { get; init; }
    public int Epochs { get; init; }
    public JsonObject Params { get; init; } = [];
    public string Status { get; init; } = Finished;
    public double ValAccuracy { get; init; } = double.NaN;
    public double ValLoss { get; init; } = double.NaN;
    public int BestEpoch { get; init; }
    public int EpochsTrained { get; init; }
    public double Seconds { get; init; }
    public string? Error { get; init; }

    /// <summary>Finished with a validation accuracy: eligible to be promoted and to be the best.</summary>
    public bool Scored => Status == Finished && !double.IsNaN(ValAccuracy);
}
