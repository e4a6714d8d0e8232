namespace ImageClassifier.Training;

/// <summary>The metrics of each finished epoch (loss, accuracy, val_loss, val_accuracy, lr, ...).</summary>
public sealed class History
{
    readonly List<Dictionary<string, double>> epochs = [];

    public IReadOnlyList<IReadOnlyDictionary<string, double>> Epochs => epochs;

    public int Count => epochs.Count;

    public void Add(Dictionary<string, double> logs) => epochs.Add(new Dictionary<string, double>(logs));

    /// <summary>The value of <paramref name="metric"/> at each epoch (NaN where it was not logged).</summary>
    public double[] Values(string metric) => epochs.Select(e => e.GetValueOrDefault(metric, double.NaN)).ToArray();

    public IReadOnlyDictionary<string, double>? Last => epochs.Count == 0 ? null : epochs[^1];
}
