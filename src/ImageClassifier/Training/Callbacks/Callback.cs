namespace ImageClassifier.Training.Callbacks;

/// <summary>
/// Hooks into training, with Keras' lifecycle: train begin, epoch begin, batch begin, gradients
/// (after backward, before the optimizer step), batch end, epoch logs, epoch end, train end. Epoch and batch
/// numbers are 1-based. Set <see cref="TrainingContext.StopTraining"/> to stop.
/// </summary>
public abstract class Callback
{
    public virtual void OnTrainBegin(TrainingContext context) { }
    public virtual void OnEpochBegin(TrainingContext context, int epoch) { }
    /// <summary>Before a batch's forward pass: per-step learning-rate schedules set the rate here.</summary>
    public virtual void OnBatchBegin(TrainingContext context, int epoch, int batch) { }
    /// <summary>The batch's gradients are computed and not yet applied: averaging across processes, clipping.</summary>
    public virtual void OnGradients(TrainingContext context, int epoch, int batch) { }
    public virtual void OnBatchEnd(TrainingContext context, BatchLog batch) { }
    /// <summary>The epoch's figures before they are recorded and shown to OnEpochEnd: combining them across processes.</summary>
    public virtual void OnEpochLogs(TrainingContext context, int epoch, Dictionary<string, double> logs) { }
    public virtual void OnEpochEnd(TrainingContext context, int epoch, IReadOnlyDictionary<string, double> logs) { }
    public virtual void OnTrainEnd(TrainingContext context) { }
}

/// <summary>Running figures after one training batch of an epoch.</summary>
public sealed record BatchLog(int Epoch, int Batch, int Batches, double Loss, double Accuracy, int Seen, TimeSpan Elapsed)
{
    public double ImagesPerSecond => Elapsed.TotalSeconds > 0 ? Seen / Elapsed.TotalSeconds : 0;
    public TimeSpan Remaining => Batch == 0 ? TimeSpan.Zero : Elapsed * ((double)(Batches - Batch) / Batch);
}
