using System.Diagnostics;
using ImageClassifier.Training;
using ImageClassifier.Training.Callbacks;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ImageClassifier.Distributed;

/// <summary>
/// Averages the gradients of every rank after each backward pass, before the optimizer steps, so that every
/// rank applies the same update (Horovod's recipe). The trainable parameters are grouped into buckets of about
/// <paramref name="bucketBytes"/>, last layers first (their gradients are ready first); each step copies a
/// bucket's gradients into one flat buffer, sums it over the ranks with one allreduce in place, divides by
/// the number of ranks and copies the averages back. A bucket's allreduce runs on the MPI thread while the
/// next bucket is flattened. The time from the first flatten to the last copy back is recorded per step and
/// logged per epoch as allreduce_ms (the communication a step costs).
/// </summary>
public sealed class GradientAverager(Communicator communicator, long bucketBytes = 25L << 20) : Callback
{
    sealed record Bucket(Parameter[] Parameters, long[] Offsets, Tensor Flat);

    readonly List<Bucket> buckets = [];
    readonly Stopwatch clock = new();
    int steps;

    /// <summary>Seconds spent averaging gradients since the epoch began, and the steps.</summary>
    public (double Seconds, int Steps) Spent => (clock.Elapsed.TotalSeconds, steps);

    public override void OnTrainBegin(TrainingContext context)
    {
        Release();
        var trainable = context.Model.Network.parameters().Where(p => p.requires_grad).Reverse().ToList();
        var wrong = trainable.FirstOrDefault(p => p.dtype != ScalarType.Float32 || p.device_type != TorchSharp.DeviceType.CPU);
        if (wrong is not null)
            throw new DistributedException($"Distributed training averages float32 gradients on the CPU; the model has a {wrong.dtype} parameter on {wrong.device}.");
        var group = new List<Parameter>();
        long bytes = 0;
        foreach (var parameter in trainable)
        {
            group.Add(parameter);
            bytes += parameter.numel() * 4;
            if (bytes >= bucketBytes) { Add(group); group = []; bytes = 0; }
        }
        if (group.Count > 0) Add(group);
    }

    void Add(List<Parameter> parameters)
    {
        var offsets = new long[parameters.Count + 1];
        for (int i = 0; i < parameters.Count; i++) offsets[i + 1] = offsets[i] + parameters[i].numel();
        var flat = zeros(offsets[^1], ScalarType.Float32);
        flat.DetachFromDisposeScope();
        buckets.Add(new Bucket([.. parameters], offsets, flat));
    }

    public override void OnGradients(TrainingContext context, int epoch, int batch)
    {
        if (communicator.Size == 1) return;
        clock.Start();
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            var pending = new List<(Bucket Bucket, Task<bool> Sum)>();
            foreach (var bucket in buckets)
            {
                Flatten(bucket);
                pending.Add((bucket, communicator.StartAllreduceSum(bucket.Flat)));
            }
            foreach (var (bucket, sum) in pending)
            {
                communicator.Wait(sum, "averaging gradients");
                bucket.Flat.div_(communicator.Size);
                Unflatten(bucket);
            }
        }
        clock.Stop();
        steps++;
    }

    static void Flatten(Bucket bucket)
    {
        for (int i = 0; i < bucket.Parameters.Length; i++)
        {
            var slot = bucket.Flat.narrow(0, bucket.Offsets[i], bucket.Offsets[i + 1] - bucket.Offsets[i]);
            var grad = bucket.Parameters[i].grad;
            if (grad is null) slot.zero_(); // unused this step: the same on every rank
            else slot.copy_(grad.reshape(-1));
        }
    }

    static void Unflatten(Bucket bucket)
    {
        for (int i = 0; i < bucket.Parameters.Length; i++)
        {
            var grad = bucket.Parameters[i].grad;
            if (grad is null) continue;
            grad.copy_(bucket.Flat.narrow(0, bucket.Offsets[i], bucket.Offsets[i + 1] - bucket.Offsets[i]).view_as(grad));
        }
    }

    public override void OnEpochLogs(TrainingContext context, int epoch, Dictionary<string, double> logs)
    {
        if (communicator.Size == 1) return;
        logs["allreduce_ms"] = steps == 0 ? 0 : clock.Elapsed.TotalMilliseconds / steps;
        clock.Reset();
        steps = 0;
    }

    public override void OnTrainEnd(TrainingContext context) => Release();

    void Release()
    {
        foreach (var bucket in buckets) bucket.Flat.Dispose();
        buckets.Clear();
    }
}
