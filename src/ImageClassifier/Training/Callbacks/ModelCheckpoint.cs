using ImageClassifier.Serialization;

namespace ImageClassifier.Training.Callbacks;

/// <summary>Saves the model file at the end of an epoch: every epoch, or only when the monitored metric improves.</summary>
public sealed class ModelCheckpoint(string path, string monitor = "val_loss", bool saveBestOnly = true, string mode = "auto") : Callback
{
    readonly Monitor watch = new(monitor, mode);

    public int? SavedEpoch { get; private set; }

    public override void OnEpochEnd(TrainingContext context, int epoch, IReadOnlyDictionary<string, double> logs)
    {
        if (saveBestOnly && !watch.Improved(watch.Read(logs, "ModelCheckpoint"))) return;
        context.Model.Save(path);
        SavedEpoch = epoch;
    }
}
