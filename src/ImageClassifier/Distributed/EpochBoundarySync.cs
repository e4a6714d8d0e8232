using ImageClassifier.Training.Callbacks;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ImageClassifier.Distributed;

/// <summary>
/// Makes every rank hold the same state at each epoch boundary, so that rank 0's end-of-epoch checkpoint is all a
/// resumed job needs: after the epoch's last step the batch-norm running statistics are averaged over the ranks
/// (the weights already agree: their gradients were averaged), so validation, the checkpoint and the saved model use
/// the whole job's statistics rather than rank 0's; and at the start of each epoch every random generator of the
/// rank (dropout, augmentation) is reseeded from the rank's seed and the epoch, so that the epoch draws the same
/// numbers whether the job ran on or was resumed. PyTorch's DistributedDataParallel keeps buffers in step by
/// broadcasting rank 0's every step; once an epoch is enough here, because local statistics are the default.
/// </summary>
public sealed class EpochBoundarySync(Communicator communicator) : Callback
{
    public override void OnEpochBegin(TrainingContext context, int epoch)
    {
        long seed = unchecked(context.Options.Seed * 1_000_003L + epoch);
        foreach (var (_, generator) in context.RandomGenerators()) generator.manual_seed(seed);
    }

    public override void OnBatchEnd(TrainingContext context, BatchLog batch)
    {
        if (batch.Batch != batch.Batches || communicator.Size == 1) return;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var layer in context.Model.Network.modules().OfType<BatchNorm>())
        {
            foreach (var statistic in new[] { layer.running_mean, layer.running_var })
            {
                if (statistic is null) continue;
                using var sum = statistic.cpu().to_type(ScalarType.Float64);
                communicator.AllreduceSum(sum, "averaging the batch-norm statistics at the end of the epoch");
                statistic.copy_((sum / communicator.Size).to_type(statistic.dtype).to(statistic.device));
            }
        }
    }
}
