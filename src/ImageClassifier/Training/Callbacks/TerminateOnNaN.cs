namespace ImageClassifier.Training.Callbacks;

/// <summary>Stops training at the first batch whose loss is NaN or infinite.</summary>
public sealed class TerminateOnNaN : Callback
{
    public int? TerminatedAtEpoch { get; private set; }

    public override void OnBatchEnd(TrainingContext context, BatchLog batch)
    {
        if (!double.IsFinite(batch.Loss))
        {
            TerminatedAtEpoch = batch.Epoch;
            context.StopTraining = true;
            context.StopReason = $"the loss became {batch.Loss} at epoch {batch.Epoch}, batch {batch.Batch}: lower the learning rate";
        }
    }
}
