namespace ImageClassifier.Training.Callbacks;

/// <summary>
/// A metric to watch and which way is better: "auto" means higher is better for accuracy-like
/// metrics and lower for everything else, as in Keras.
/// </summary>
public sealed class Monitor
{
    public Monitor(string metric, string mode = "auto", double minDelta = 0)
    {
        Metric = metric;
        HigherIsBetter = mode.ToLowerInvariant() switch
        {
            "max" => true,
            "min" => false,
            "auto" => metric.Contains("acc", StringComparison.OrdinalIgnoreCase) || metric.EndsWith("f1", StringComparison.OrdinalIgnoreCase),
            _ => throw new ArgumentException($"Monitor mode must be auto, min or max, not '{mode}'."),
        };
        MinDelta = Math.Abs(minDelta);
        Best = HigherIsBetter ? double.NegativeInfinity : double.PositiveInfinity;
    }

    public string Metric { get; }
    public bool HigherIsBetter { get; }
    public double MinDelta { get; }
    public double Best { get; internal set; }

    /// <summary>The metric's value in the logs, or a clear error naming the metrics there are.</summary>
    public double Read(IReadOnlyDictionary<string, double> logs, string owner)
    {
        if (logs.TryGetValue(Metric, out double value)) return value;
        string hint = Metric.StartsWith("val_") ? " Give validation data (or a validation split), or monitor a training metric." : "";
        throw new ArgumentException($"{owner} monitors '{Metric}', but the logs hold only: {string.Join(", ", logs.Keys)}.{hint}");
    }

    /// <summary>True (and records it as best) when <paramref name="value"/> beats the best by more than MinDelta.</summary>
    public bool Improved(double value)
    {
        if (double.IsNaN(value)) return false;
        bool better = HigherIsBetter ? value > Best + MinDelta : value < Best - MinDelta;
        if (better) Best = value;
        return better;
    }
}
