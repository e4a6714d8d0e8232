using ImageClassifier.Training.Callbacks;

namespace ImageClassifier.Distributed;

/// <summary>
/// Combines each rank's figures of an epoch before they are recorded, so that the history (and early stopping,
/// reduce-LR and the checkpoint, which read it) describes the whole job and is the same on every rank: training
/// loss and accuracy averaged over the ranks (each saw as many images), validation loss and accuracy averaged
/// weighted by each rank's share of the validation set (<paramref name="validationShare"/> images: the figures of
/// the whole set), images_per_s summed, seconds the slowest rank's. Rank 0's result is then handed to every rank
/// bit for bit, so that no summation order can make two ranks decide differently.
/// </summary>
public sealed class MetricAverager(Communicator communicator, int validationShare = 0) : Callback
{
    public override void OnEpochLogs(TrainingContext context, int epoch, Dictionary<string, double> logs)
    {
        if (communicator.Size == 1) return;
        bool validated = logs.ContainsKey("val_loss");
        double share = validated ? validationShare : 0;
        var each = new double[communicator.Size];
        each[communicator.Rank] = logs["seconds"];
        double[] local = [logs["loss"], logs["accuracy"], logs["images_per_s"],
            share * logs.GetValueOrDefault("val_loss"), share * logs.GetValueOrDefault("val_accuracy"), share, .. each];
        var sums = communicator.AllreduceSum(local, "combining the epoch's figures");
        double n = communicator.Size;
        double[] combined = [sums[0] / n, sums[1] / n, sums[2], sums[5] > 0 ? sums[3] / sums[5] : 0, sums[5] > 0 ? sums[4] / sums[5] : 0, sums[6..].Max()];
        // Rank 0's numbers everywhere: a sum in which the other ranks give zeros is exact.
        var agreed = communicator.AllreduceSum(communicator.IsRoot ? combined : new double[combined.Length], "combining the epoch's figures");
        (logs["loss"], logs["accuracy"], logs["images_per_s"], logs["seconds"]) = (agreed[0], agreed[1], agreed[2], agreed[5]);
        if (validated) (logs["val_loss"], logs["val_accuracy"]) = (agreed[3], agreed[4]);
    }
}
