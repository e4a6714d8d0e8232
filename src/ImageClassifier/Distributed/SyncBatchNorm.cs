using ImageClassifier.Training.Callbacks;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ImageClassifier.Distributed;

/// <summary>
/// Batch-norm statistics over the whole job's batch (PyTorch's SyncBatchNorm) while training: a forward hook on
/// every BatchNorm layer in training mode replaces its output with one normalised by the mean and variance of all
/// ranks' batches, got from one allreduce of [sum, sum of squares, count] per layer, and updates the running
/// statistics with them (the layer's own update from its local batch is undone). The allreduce is differentiable
/// (<see cref="AllreduceSum"/>: its backward allreduces the gradient), so the gradients are those of the whole
/// batch too. Hooks rather than swapped modules because the models call their layers through fields.
/// Layers in inference mode (frozen statistics) are left alone. Costs a second normalisation and an allreduce per
/// layer and step.
/// </summary>
public sealed class SyncBatchNorm(Communicator communicator) : Callback
{
    readonly List<Action> hooks = []; // each removes a hook
    readonly Dictionary<BatchNorm, (Tensor Mean, Tensor Var)> saved = [];
    readonly HashSet<BatchNorm> synchronised = [];
    List<(string Name, BatchNorm Layer)> layers = [];
    bool checkedOnce;

    public override void OnTrainBegin(TrainingContext context)
    {
        Release();
        AllreduceSum.Communicator = communicator;
        layers = context.Model.Network.named_modules().Where(m => m.module is BatchNorm).Select(m => (m.name, (BatchNorm)m.module)).ToList();
        checkedOnce = false;
        foreach (var (_, layer) in layers)
        {
            var before = layer.register_forward_pre_hook((module, input) =>
            {
                if (module.training && layer.running_mean is not null)
                    saved[layer] = (layer.running_mean.clone().DetachFromDisposeScope(), layer.running_var!.clone().DetachFromDisposeScope());
                return input;
            });
            var after = layer.register_forward_hook((module, input, output) => module.training ? Synchronised(layer, input) : output);
            hooks.Add(before.remove);
            hooks.Add(after.remove);
        }
    }

    Tensor Synchronised(BatchNorm layer, Tensor x)
    {
        var dims = Enumerable.Range(0, (int)x.dim()).Where(d => d != 1).Select(d => (long)d).ToArray();
        long channels = x.shape[1];
        long local = x.numel() / channels;
        // Moments in float64: the variance as E[x^2] - E[x]^2 loses float32's digits where the mean is large against the spread.
        var wide = x.to_type(ScalarType.Float64);
        var stats = cat([wide.sum(dims), wide.square().sum(dims), full(1, local, ScalarType.Float64, x.device)]);
        var total = AllreduceSum.apply(stats);
        var count = total[2 * channels];
        var mean64 = total.narrow(0, 0, channels) / count;
        var mean = mean64.to_type(x.dtype);
        var variance = (total.narrow(0, channels, channels) / count - mean64.square()).clamp_min(0).to_type(x.dtype);
        var shape = Enumerable.Repeat(1L, (int)x.dim()).ToArray();
        shape[1] = channels;
        var y = (x - mean.view(shape)) * (variance + layer.eps).rsqrt().view(shape);
        if (layer.weight is not null) y = y * layer.weight.view(shape) + layer.bias!.view(shape);
        synchronised.Add(layer);
        if (saved.Remove(layer, out var before))
        {
            using var _ = no_grad();
            double momentum = layer.momentum ?? 0.1;
            double n = count.item<double>();
            layer.running_mean!.copy_(before.Mean * (1 - momentum) + mean.detach() * momentum);
            layer.running_var!.copy_(before.Var * (1 - momentum) + variance.detach() * (n / Math.Max(n - 1, 1)) * momentum);
            before.Mean.Dispose();
            before.Var.Dispose();
        }
        return y;
    }

    // A layer that its model calls with forward() rather than call() skips hooks: say so rather than train unsynchronised.
    public override void OnBatchEnd(TrainingContext context, BatchLog batch)
    {
        if (checkedOnce) return;
        checkedOnce = true;
        var missed = layers.Where(l => l.Layer.training && !synchronised.Contains(l.Layer)).Select(l => l.Name).ToList();
        if (missed.Count > 0)
            throw new DistributedException($"--sync-batch-norm cannot synchronise the batch-norm layer(s) {string.Join(", ", missed)} of this model: they are run without forward hooks.");
    }

    public override void OnTrainEnd(TrainingContext context) => Release();

    void Release()
    {
        foreach (var remove in hooks) remove();
        hooks.Clear();
        foreach (var (mean, var) in saved.Values) { mean.Dispose(); var.Dispose(); }
        saved.Clear();
        synchronised.Clear();
    }
}

/// <summary>Sum over all ranks as an autograd function: the backward pass sums the incoming gradient over the ranks.</summary>
sealed class AllreduceSum : autograd.SingleTensorFunction<AllreduceSum>
{
    public static Communicator? Communicator { get; set; }

    public override string Name => "AllreduceSum";

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var sum = ((Tensor)vars[0]).detach().contiguous().clone();
        Communicator!.AllreduceSum(sum, "synchronising batch norm");
        return sum;
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradient)
    {
        var sum = gradient.contiguous().clone();
        Communicator!.AllreduceSum(sum, "synchronising batch-norm gradients");
        return [sum];
    }
}
