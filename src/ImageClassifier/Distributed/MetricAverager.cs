using ImageClassifier.Training.Callbacks;

namespace ImageClassifier.Distributed;

/// <summary>
/// Combines each rank's training figures of an epoch before they are recorded, so that the history (and
/// early stopping, reduce-LR and the checkpoint, which read it) is the same on every rank and describes the
/// whole job: loss and accuracy averaged over the ranks (each rank saw as many images), images_per_s summed,
/// seconds the slowest rank's. Validation figures need nothing: every rank holds the same weights and
/// evaluates the whole validation set, so they are already a single process's.
/// </summary>
public sealed class MetricAverager(Communicator communicator) : Callback
{
    static readonly string[] Averaged = ["loss", "accuracy"];

    public override void OnEpochLogs(TrainingContext context, int epoch, Dictionary<string, double> logs)
    {
        if (communicator.Size == 1) return;
        double seconds = logs["seconds"];
        var sums = communicator.AllreduceSum([logs["loss"], logs["accuracy"], logs["images_per_s"]], "combining the epoch's figures");
        logs["loss"] = sums[0] / communicator.Size;
        logs["accuracy"] = sums[1] / communicator.Size;
        logs["images_per_s"] = sums[2];
        // The slowest rank's seconds: a max from a sum of one-hot vectors keeps to the one allreduce kind.
        var each = new double[communicator.Size];
        each[communicator.Rank] = seconds;
        logs["seconds"] = communicator.AllreduceSum(each, "combining the epoch's figures").Max();
    }
}
