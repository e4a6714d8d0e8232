using System.Text.Json.Nodes;
using ImageClassifier.Training.Callbacks;
using static TorchSharp.torch;

namespace ImageClassifier.Training.Checkpoints;

/// <summary>
/// Writes training checkpoints into a <see cref="CheckpointFolder"/>: one before the first batch (unless the run
/// resumes), one at the end of every epoch, and with <paramref name="everyBatches"/> &gt; 0 one every that many
/// batches. When <paramref name="stop"/> is cancelled (SIGINT, SIGTERM) it writes one after the current batch and
/// throws <see cref="TrainingInterruptedException"/>. It must come last among the callbacks, so that the state it
/// saves includes what the others did at the same step. Weights that are no longer finite are never written: that
/// is a <see cref="NonFiniteLossException"/>, and the last good checkpoint stays the latest. With
/// <see cref="EpochEndsOnly"/> (a distributed job, whose ranks agree only at epoch boundaries) nothing is written
/// mid-epoch: a stop there names the last epoch's checkpoint.
/// </summary>
public sealed class Checkpointing(CheckpointFolder folder, int everyBatches = 0, Func<JsonObject?>? run = null, CancellationToken stop = default) : Callback
{
    /// <summary>Write only at the start of training and at the ends of epochs.</summary>
    public bool EpochEndsOnly { get; init; }

    public CheckpointFolder Folder { get; } = folder;

    /// <summary>The newest checkpoint this run wrote (or resumed from), or null.</summary>
    public string? Latest { get; private set; }

    /// <summary>How many checkpoints this run wrote.</summary>
    public int Written { get; private set; }

    /// <summary>The checkpoint a resumed run started from (so that a failure before the next one still names a good one).</summary>
    public string? ResumedFrom { init => Latest = value; }

    public override void OnTrainBegin(TrainingContext context)
    {
        if (!context.Resuming) Save(context, "the start of training");
    }

    public override void OnBatchEnd(TrainingContext context, BatchLog batch)
    {
        string where = $"epoch {batch.Epoch}, batch {batch.Batch} of {batch.Batches}";
        if (stop.IsCancellationRequested) Interrupt(context, where);
        long step = (long)(batch.Epoch - 1) * batch.Batches + batch.Batch;
        if (everyBatches > 0 && !EpochEndsOnly && step % everyBatches == 0 && batch.Batch < batch.Batches) Save(context, where);
    }

    public override void OnEpochEnd(TrainingContext context, int epoch, IReadOnlyDictionary<string, double> logs)
    {
        Save(context, $"the end of epoch {epoch}");
        if (stop.IsCancellationRequested) throw Interrupted($"the end of epoch {epoch}");
    }

    void Interrupt(TrainingContext context, string where)
    {
        if (EpochEndsOnly) throw new TrainingInterruptedException(
            $"Training was interrupted at {where}; the state at the last epoch boundary is saved in {Latest}.", Latest!, Folder.Path);
        Save(context, where);
        throw Interrupted(where);
    }

    TrainingInterruptedException Interrupted(string where) =>
        new($"Training was interrupted at {where}; its state is saved in {Latest}.", Latest!, Folder.Path);

    void Save(TrainingContext context, string where)
    {
        if (FirstNonFinite(context.Model.Network) is string parameter)
            throw new NonFiniteLossException($"The weights are no longer finite at {where} ({parameter} holds NaN or infinity) though the loss was: " +
                $"the learning rate ({context.LearningRate:G3}) is too high for this model. " + LastGood, context.Position.Epoch, context.Position.BatchesDone, double.NaN);
        var checkpoint = TrainingCheckpoint.Capture(context, run?.Invoke());
        try { Latest = Folder.Save(checkpoint); }
        catch (IOException e) when (e is not CheckpointException)
        {
            throw new IOException($"{e.Message.TrimEnd('.')}. {LastGood}", e);
        }
        Written++;
    }

    string LastGood => Latest is null ? "No checkpoint was written yet." : $"The last good checkpoint, {Latest}, is kept.";

    static string? FirstNonFinite(nn.Module network)
    {
        using var noGrad = no_grad();
        foreach (var (name, parameter) in network.named_parameters())
        {
            using var finite = parameter.isfinite().all();
            if (!finite.item<bool>()) return name;
        }
        return null;
    }
}

/// <summary>
/// Stops a run at the first batch whose loss is NaN or infinite by throwing <see cref="NonFiniteLossException"/>
/// (where <see cref="TerminateOnNaN"/> only ends training and keeps what was trained). Put it before
/// <see cref="Checkpointing"/>, so that the diverged batch is never checkpointed.
/// </summary>
public sealed class NonFiniteLossGuard : Callback
{
    public override void OnBatchEnd(TrainingContext context, BatchLog batch)
    {
        if (double.IsFinite(batch.Loss)) return;
        throw new NonFiniteLossException($"The loss became {batch.Loss} at epoch {batch.Epoch}, batch {batch.Batch} of {batch.Batches} " +
            $"(learning rate {context.LearningRate:G3}): lower the learning rate.", batch.Epoch, batch.Batch, batch.Loss);
    }
}

/// <summary>Training diverged: the loss (or the weights) became NaN or infinite at <see cref="Epoch"/>, <see cref="Batch"/>.</summary>
public sealed class NonFiniteLossException(string message, int epoch, int batch, double loss) : ArithmeticException(message)
{
    public int Epoch { get; } = epoch;
    public int Batch { get; } = batch;
    public double Loss { get; } = loss;
}

/// <summary>Training stopped on request (a signal) after writing <see cref="CheckpointPath"/>; the run can be resumed from <see cref="Folder"/>.</summary>
public sealed class TrainingInterruptedException(string message, string checkpointPath, string folder) : OperationCanceledException(message)
{
    public string CheckpointPath { get; } = checkpointPath;
    public string Folder { get; } = folder;
}
