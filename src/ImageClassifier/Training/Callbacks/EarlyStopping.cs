namespace ImageClassifier.Training.Callbacks;

/// <summary>
/// Stops when the monitored metric has not improved for <c>patience</c> epochs. With
/// restoreBestWeights the model ends with the weights of its best epoch (as Keras 3 does, also
/// when training ran to the last epoch).
/// </summary>
public sealed class EarlyStopping(string monitor = "val_loss", int patience = 5, double minDelta = 0,
    bool restoreBestWeights = true, string mode = "auto") : Callback
{
    readonly Monitor watch = new(monitor, mode, minDelta);
    WeightsSnapshot? best;
    int wait;

    public int BestEpoch { get; private set; }
    public int? StoppedEpoch { get; private set; }

    public override void OnEpochEnd(TrainingContext context, int epoch, IReadOnlyDictionary<string, double> logs)
    {
        if (watch.Improved(watch.Read(logs, "EarlyStopping")))
        {
            BestEpoch = epoch;
            wait = 0;
            if (restoreBestWeights)
            {
                best?.Dispose();
                best = new WeightsSnapshot(context.Model.Network);
            }
            return;
        }
        if (++wait >= patience)
        {
            StoppedEpoch = epoch;
            context.StopTraining = true;
            context.StopReason = $"early stopping: {watch.Metric} did not improve for {patience} epochs (best {watch.Best:0.####} at epoch {BestEpoch})";
        }
    }

    public override void OnTrainEnd(TrainingContext context)
    {
        if (best is null) return;
        best.RestoreInto(context.Model.Network);
        context.RestoredEpoch = BestEpoch;
        best.Dispose();
        best = null;
    }
}
