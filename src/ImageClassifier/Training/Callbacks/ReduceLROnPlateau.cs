using System.Text.Json.Nodes;
using ImageClassifier.Training.Checkpoints;

namespace ImageClassifier.Training.Callbacks;

/// <summary>Multiplies the learning rate by <c>factor</c> after <c>patience</c> epochs without improvement.</summary>
public sealed class ReduceLROnPlateau : Callback, IStatefulCallback
{
    readonly Monitor watch;
    readonly double factor, minLearningRate;
    readonly int patience, cooldown;
    int wait, cooldownLeft;

    public ReduceLROnPlateau(string monitor = "val_loss", double factor = 0.1, int patience = 10,
        double minLearningRate = 0, double minDelta = 1e-4, int cooldown = 0, string mode = "auto")
    {
        if (factor is <= 0 or >= 1) throw new ArgumentException($"ReduceLROnPlateau factor must be in (0, 1), not {factor}.");
        watch = new Monitor(monitor, mode, minDelta);
        (this.factor, this.patience, this.minLearningRate, this.cooldown) = (factor, patience, minLearningRate, cooldown);
    }

    /// <summary>The epochs at whose end the rate was lowered.</summary>
    public List<int> ReducedAt { get; } = [];

    public override void OnEpochEnd(TrainingContext context, int epoch, IReadOnlyDictionary<string, double> logs)
    {
        double value = watch.Read(logs, "ReduceLROnPlateau");
        if (cooldownLeft > 0) cooldownLeft--;
        if (watch.Improved(value)) { wait = 0; return; }
        if (cooldownLeft > 0 || ++wait < patience) return;
        double current = context.LearningRate;
        if (current <= minLearningRate) return;
        context.LearningRate = Math.Max(current * factor, minLearningRate);
        ReducedAt.Add(epoch);
        cooldownLeft = cooldown;
        wait = 0;
    }

    public string StateName => "reduce_lr_on_plateau";

    public CallbackState SaveState()
    {
        var state = new CallbackState();
        state.SetDouble("best", watch.Best);
        state.Values["wait"] = wait;
        state.Values["cooldown_left"] = cooldownLeft;
        state.Values["reduced_at"] = new JsonArray(ReducedAt.Select(e => (JsonNode)e).ToArray());
        return state;
    }

    public void RestoreState(CallbackState state)
    {
        watch.Best = state.GetDouble("best");
        wait = state.Get<int>("wait");
        cooldownLeft = state.Get<int>("cooldown_left");
        ReducedAt.Clear();
        ReducedAt.AddRange(state.Values["reduced_at"]!.AsArray().Select(e => e!.GetValue<int>()));
    }
}
