using ImageClassifier.Serialization;
using ImageClassifier.Training.Checkpoints;

namespace ImageClassifier.Training.Callbacks;

/// <summary>Saves the model file at the end of an epoch: every epoch, or only when the monitored metric improves.</summary>
public sealed class ModelCheckpoint(string path, string monitor = "val_loss", bool saveBestOnly = true, string mode = "auto") : Callback, IStatefulCallback
{
    readonly Monitor watch = new(monitor, mode);

    public int? SavedEpoch { get; private set; }

    public override void OnEpochEnd(TrainingContext context, int epoch, IReadOnlyDictionary<string, double> logs)
    {
        if (saveBestOnly && !watch.Improved(watch.Read(logs, "ModelCheckpoint"))) return;
        context.Model.Save(path);
        SavedEpoch = epoch;
    }

    public string StateName => "model_checkpoint";

    public CallbackState SaveState()
    {
        var state = new CallbackState();
        state.SetDouble("best", watch.Best);
        if (SavedEpoch is int saved) state.Values["saved_epoch"] = saved;
        return state;
    }

    public void RestoreState(CallbackState state)
    {
        watch.Best = state.GetDouble("best");
        SavedEpoch = state.Values["saved_epoch"]?.GetValue<int>();
    }
}
