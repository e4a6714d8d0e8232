using ImageClassifier.Training.Checkpoints;

namespace ImageClassifier.Training.Callbacks;

/// <summary>
/// Stops when the monitored metric has not improved for <c>patience</c> epochs. With
/// restoreBestWeights the model ends with the weights of its best epoch (as Keras 3 does, also
/// when training ran to the last epoch).
/// </summary>
public sealed class EarlyStopping(string monitor = "val_loss", int patience = 5, double minDelta = 0,
    bool restoreBestWeights = true, string mode = "auto") : Callback, IStatefulCallback
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

    public string StateName => "early_stopping";

    public CallbackState SaveState()
    {
        var state = new CallbackState();
        state.SetDouble("best", watch.Best);
        state.Values["wait"] = wait;
        state.Values["best_epoch"] = BestEpoch;
        if (best is not null) foreach (var (name, tensor) in best.Tensors) state.Tensors[name] = tensor;
        return state;
    }

    public void RestoreState(CallbackState state)
    {
        watch.Best = state.GetDouble("best");
        wait = state.Get<int>("wait");
        BestEpoch = state.Get<int>("best_epoch");
        best?.Dispose();
        best = state.Tensors.Count > 0 ? new WeightsSnapshot(new Dictionary<string, TorchSharp.torch.Tensor>(state.Tensors)) : null;
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
