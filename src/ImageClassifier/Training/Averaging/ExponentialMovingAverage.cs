using ImageClassifier.Training.Callbacks;
using ImageClassifier.Training.Checkpoints;
using static TorchSharp.torch;

namespace ImageClassifier.Training.Averaging;

/// <summary>
/// An exponential moving average of the weights, updated after every optimizer step
/// (average = decay x average + (1 - decay) x weights) and put into the model when training ends, so the
/// averaged weights are the ones evaluated and saved. Batch-norm running statistics are averaged the same way
/// as the weights (as timm's ModelEmaV2 does), so the statistics match the averaged weights rather than the
/// last step's; integer buffers (batches tracked) are copied. With <paramref name="warmup"/> the decay starts low,
/// min(decay, (1 + n) / (10 + n)) after n updates, so the first steps' random weights fade quickly.
/// </summary>
public sealed class ExponentialMovingAverage(double decay, bool warmup = true) : Callback, IDisposable, IStatefulCallback
{
    readonly List<(string Name, Tensor Live, Tensor Average)> pairs = [];
    long updates;

    public double Decay { get; } = decay is > 0 and < 1 ? decay
        : throw new ArgumentException($"The EMA decay must be between 0 and 1 (e.g. 0.999), not {decay}.");

    /// <summary>The decay the next update uses.</summary>
    public double CurrentDecay => warmup ? Math.Min(Decay, (1.0 + updates) / (10.0 + updates)) : Decay;

    public override void OnTrainBegin(TrainingContext context)
    {
        Release();
        updates = 0;
        using var _ = no_grad();
        foreach (var (name, live) in context.Model.Network.state_dict())
            pairs.Add((name, live, live.detach().clone().DetachFromDisposeScope()));
    }

    public override void OnBatchEnd(TrainingContext context, BatchLog batch)
    {
        double d = CurrentDecay;
        using var _ = no_grad();
        foreach (var (_, live, average) in pairs)
        {
            if (live.is_floating_point()) average.mul_(d).add_(live, alpha: 1 - d);
            else average.copy_(live);
        }
        updates++;
    }

    /// <summary>Puts the averaged weights into the model (after any best-weights restore: the callbacks' order decides).</summary>
    public override void OnTrainEnd(TrainingContext context)
    {
        using var _ = no_grad();
        foreach (var (_, live, average) in pairs) live.copy_(average);
        Release();
    }

    public string StateName => "exponential_moving_average";

    /// <summary>The update count and the averages (a checkpoint writes them; they stay this callback's).</summary>
    public CallbackState SaveState()
    {
        var state = new CallbackState();
        state.Values["updates"] = updates;
        foreach (var (name, _, average) in pairs) state.Tensors[name] = average;
        return state;
    }

    public void RestoreState(CallbackState state)
    {
        updates = state.Get<long>("updates");
        using var _ = no_grad();
        foreach (var (name, _, average) in pairs)
            if (state.Tensors.TryGetValue(name, out var saved)) average.copy_(saved);
        foreach (var saved in state.Tensors.Values) saved.Dispose();
    }

    void Release()
    {
        foreach (var (_, _, average) in pairs) average.Dispose();
        pairs.Clear();
    }

    public void Dispose() => Release();
}
