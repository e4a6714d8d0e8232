using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace ImageClassifier.Training.Checkpoints;

/// <summary>
/// A callback whose state a checkpoint must carry for a resumed run to behave as an uninterrupted one: early
/// stopping's counters and best weights, reduce-LR's cooldown, a learning-rate schedule's step, an exponential
/// moving average of the weights. <see cref="SaveState"/> runs when a checkpoint is written (at a batch or epoch
/// end); <see cref="RestoreState"/> after OnTrainBegin of the resumed run, before its first batch.
/// </summary>
public interface IStatefulCallback
{
    /// <summary>A name for the state, stable across versions and unique among a run's callbacks (a second one of the same name gets "#2").</summary>
    string StateName { get; }

    CallbackState SaveState();

    void RestoreState(CallbackState state);
}

/// <summary>
/// A callback's state: plain values as JSON (counters, best metric, epochs), and named tensors (weights, averages).
/// The tensors given to a checkpoint are written and left to their owner; restored ones belong to the callback.
/// </summary>
public sealed class CallbackState
{
    public JsonObject Values { get; init; } = [];
    public Dictionary<string, Tensor> Tensors { get; init; } = [];

    /// <summary>A value, or a clear error naming the missing one.</summary>
    public T Get<T>(string name) =>
        Values[name] is JsonNode node ? node.GetValue<T>() : throw new InvalidDataException($"The checkpoint's callback state has no '{name}'.");

    /// <summary>A double that may be written as a string ("-Infinity", "NaN": JSON has no literal for them).</summary>
    public double GetDouble(string name) => Values[name] switch
    {
        JsonValue v when v.TryGetValue(out double d) => d,
        JsonValue v when v.TryGetValue(out string? s) => double.Parse(s, System.Globalization.CultureInfo.InvariantCulture),
        _ => throw new InvalidDataException($"The checkpoint's callback state has no number '{name}'."),
    };

    /// <summary>Stores a double so that infinities and NaN survive JSON.</summary>
    public void SetDouble(string name, double value) =>
        Values[name] = double.IsFinite(value) ? JsonValue.Create(value) : JsonValue.Create(value.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
