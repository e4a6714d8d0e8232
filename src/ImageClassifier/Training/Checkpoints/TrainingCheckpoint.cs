using System.Text.Json.Nodes;
using ImageClassifier.Training.Callbacks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ImageClassifier.Training.Checkpoints;

/// <summary>
/// Everything a run needs to continue exactly where it was: the weights, the optimizer's state (Adam's moments,
/// SGD's momentum, each group's learning rate), the state of every random generator (the global one that
/// initialisation and dropout draw from, augmentation's, an augmentation layer's), every
/// <see cref="IStatefulCallback"/>'s state, the history, the position in the epoch and the run's options
/// (<see cref="Run"/>, opaque here: the recipe stores what it was started with). Held as bytes, so that capturing
/// does not keep tensors alive and writing (<see cref="CheckpointFile"/>) can checksum each part.
/// </summary>
public sealed class TrainingCheckpoint
{
    internal const string WeightsEntry = "weights.bin", OptimizerEntry = "optimizer.bin", RandomEntry = "random.bin";
    internal static string CallbackEntry(string name) => $"callbacks/{name}.bin";

    internal TrainingCheckpoint(CheckpointMetadata metadata, IReadOnlyDictionary<string, byte[]> entries, string? path = null)
    {
        Metadata = metadata;
        Entries = entries;
        Path = path;
    }

    public CheckpointMetadata Metadata { get; }
    internal IReadOnlyDictionary<string, byte[]> Entries { get; }
    /// <summary>The file it was read from or written to, when there is one.</summary>
    public string? Path { get; internal set; }

    /// <summary>The run's options as the caller stored them (the recipe's JSON and what it trained on).</summary>
    public JsonObject? Run => Metadata.Run;

    /// <summary>"epoch 3, batch 40 of 50" or "the end of epoch 2", for messages.</summary>
    public string Where => Metadata.EpochBegun
        ? $"epoch {Metadata.Epoch}, batch {Metadata.BatchesDone} of {Metadata.StepsPerEpoch}"
        : Metadata.Epoch == 1 ? "the start of training" : $"the end of epoch {Metadata.Epoch - 1}";

    /// <summary>The state of a training run now (after a batch or an epoch), with <paramref name="run"/> stored beside it.</summary>
    public static TrainingCheckpoint Capture(TrainingContext context, JsonObject? run)
    {
        var entries = new Dictionary<string, byte[]>
        {
            [WeightsEntry] = Bytes(writer => context.Model.Network.save(writer)),
            [OptimizerEntry] = Bytes(writer => Helper(context.Optimizer).save_state_dict(writer)),
        };
        var generators = context.RandomGenerators().ToList();
        var states = generators.Select(g => new KeyValuePair<string, Tensor>(g.Name, g.Generator.get_state())).ToList();
        try { entries[RandomEntry] = TensorBundle.ToBytes(states); }
        finally { foreach (var (_, state) in states) state.Dispose(); }

        var callbacks = new Dictionary<string, JsonObject>();
        foreach (var (name, callback) in Named(context.Callbacks))
        {
            var state = callback.SaveState();
            callbacks[name] = state.Values;
            if (state.Tensors.Count > 0) entries[CallbackEntry(name)] = TensorBundle.ToBytes(state.Tensors);
        }

        var position = context.Position;
        var metadata = new CheckpointMetadata
        {
            Format = CheckpointMetadata.FormatName, Version = CheckpointMetadata.FormatVersion, SavedUtc = DateTime.UtcNow,
            Epoch = position.Epoch, BatchesDone = position.BatchesDone, EpochBegun = position.EpochBegun,
            LossSum = position.LossSum, Correct = position.Correct, Seen = position.Seen, Seconds = position.Seconds,
            EpochLearningRate = position.EpochLearningRate, StepsPerEpoch = context.StepsPerEpoch, BatchSize = context.Options.BatchSize,
            PlannedEpochs = context.Epochs,
            StopTraining = context.StopTraining, StopReason = context.StopReason,
            History = context.History.Epochs.Select(e => e.ToDictionary(kv => kv.Key, kv => kv.Value)).ToList(),
            Callbacks = callbacks,
            Run = run?.DeepClone().AsObject(),
        };
        return new TrainingCheckpoint(metadata, entries);
    }

    /// <summary>Puts the checkpoint's state into a run that has just begun (after OnTrainBegin): it continues with the next batch.</summary>
    public void Restore(TrainingContext context)
    {
        var m = Metadata;
        if (m.StepsPerEpoch != context.StepsPerEpoch || m.BatchSize != context.Options.BatchSize)
            throw new InvalidDataException($"The checkpoint was written for {m.StepsPerEpoch} batches of {m.BatchSize} per epoch, " +
                $"but this run has {context.StepsPerEpoch} batches of {context.Options.BatchSize}: the data or the batch size changed since.");
        Load(WeightsEntry, reader => context.Model.Network.load(reader));
        Load(OptimizerEntry, reader => Helper(context.Optimizer).load_state_dict(reader));

        var states = TensorBundle.FromBytes(Entry(RandomEntry));
        try
        {
            foreach (var (name, generator) in context.RandomGenerators())
            {
                if (!states.TryGetValue(name, out var state))
                    throw new InvalidDataException($"The checkpoint has no state for the random generator '{name}': it was written by a different kind of run.");
                generator.set_state(state);
            }
        }
        finally { foreach (var state in states.Values) state.Dispose(); }

        foreach (var epoch in m.History) context.History.Add(epoch);
        foreach (var (name, callback) in Named(context.Callbacks))
        {
            if (!m.Callbacks.TryGetValue(name, out var values)) continue; // a callback the run did not have keeps its fresh state
            var tensors = Entries.TryGetValue(CallbackEntry(name), out var bytes) ? TensorBundle.FromBytes(bytes) : [];
            callback.RestoreState(new CallbackState { Values = values.DeepClone().AsObject(), Tensors = tensors });
        }

        var position = context.Position;
        (position.Epoch, position.BatchesDone, position.EpochBegun, position.LossSum, position.Correct, position.Seen, position.Seconds, position.EpochLearningRate) =
            (m.Epoch, m.BatchesDone, m.EpochBegun, m.LossSum, m.Correct, m.Seen, m.Seconds, m.EpochLearningRate);
        if (m.PlannedEpochs > 0) context.Epochs = m.PlannedEpochs; // a time budget may have re-planned them
        context.StopTraining = m.StopTraining;
        context.StopReason = m.StopReason;
    }

    /// <summary>The stateful callbacks by state name, a repeated name numbered (#2, #3) in callback order.</summary>
    internal static IEnumerable<(string Name, IStatefulCallback Callback)> Named(IEnumerable<Callback> callbacks)
    {
        var seen = new Dictionary<string, int>();
        foreach (var callback in callbacks.OfType<IStatefulCallback>())
        {
            int n = seen[callback.StateName] = seen.GetValueOrDefault(callback.StateName) + 1;
            yield return (n == 1 ? callback.StateName : $"{callback.StateName}#{n}", callback);
        }
    }

    static OptimizerHelper Helper(optim.Optimizer optimizer) => optimizer as OptimizerHelper
        ?? throw new NotSupportedException($"The optimizer {optimizer.GetType().Name} cannot save its state, so a run with it cannot be checkpointed.");

    static byte[] Bytes(Action<BinaryWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true)) write(writer);
        return buffer.ToArray();
    }

    byte[] Entry(string name) => Entries.TryGetValue(name, out var bytes) ? bytes
        : throw new InvalidDataException($"The checkpoint{(Path is null ? "" : $" {Path}")} has no {name}.");

    void Load(string name, Action<BinaryReader> read)
    {
        using var reader = new BinaryReader(new MemoryStream(Entry(name)));
        read(reader);
    }
}

/// <summary>checkpoint.json: what a <see cref="TrainingCheckpoint"/> holds besides its tensors, and each part's SHA-256.</summary>
public sealed record CheckpointMetadata
{
    public const string FormatName = "imageclassifier-checkpoint";
    /// <summary>2: the optimizer's state is kept per packed parameter group (<see cref="PackedParameters"/>), not per tensor.</summary>
    public const int FormatVersion = 2;

    public string Format { get; init; } = FormatName;
    public int Version { get; init; }
    public DateTime SavedUtc { get; init; }
    public int Epoch { get; init; }
    public int BatchesDone { get; init; }
    public bool EpochBegun { get; init; }
    public double LossSum { get; init; }
    public long Correct { get; init; }
    public int Seen { get; init; }
    public double Seconds { get; init; }
    public double EpochLearningRate { get; init; }
    public int StepsPerEpoch { get; init; }
    public int BatchSize { get; init; }
    /// <summary>The epochs the run planned when the checkpoint was written (a time budget re-plans them).</summary>
    public int PlannedEpochs { get; init; }
    public bool StopTraining { get; init; }
    public string? StopReason { get; init; }
    public List<Dictionary<string, double>> History { get; init; } = [];
    public Dictionary<string, JsonObject> Callbacks { get; init; } = [];
    public JsonObject? Run { get; init; }
    /// <summary>SHA-256 (hex) of every other entry of the checkpoint file.</summary>
    public Dictionary<string, string> Checksums { get; init; } = [];

    /// <summary>Batches trained since the start of the run (for ordering and for every-N-batches checkpoints).</summary>
    public long Step => (long)(Epoch - 1) * StepsPerEpoch + BatchesDone;
}
