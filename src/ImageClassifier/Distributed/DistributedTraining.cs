namespace ImageClassifier.Distributed;

/// <summary>
/// How a run trains data-parallel over MPI (launched with mpirun, srun or an MPI operator): every rank trains on
/// its share of each epoch with the batch size given (so the job's batch is ranks times larger), gradients are
/// averaged every step, and rank 0 writes the files.
/// </summary>
public sealed record DistributedTraining
{
    /// <summary>Multiply the learning rate by the number of ranks (the linear scaling rule), after a warmup.</summary>
    public bool ScaleLearningRate { get; init; } = true;
    /// <summary>Epochs over which the scaled rate is reached (0: at once).</summary>
    public int WarmupEpochs { get; init; } = 2;
    /// <summary>Batch-norm statistics over the whole job's batch rather than each rank's (slower: two allreduces per layer and step).</summary>
    public bool SyncBatchNorm { get; init; }
    /// <summary>How long a rank waits for the others in one collective before it stops with a message.</summary>
    public double TimeoutSeconds { get; init; } = 300;
    /// <summary>Gradients are averaged in buckets of about this many bytes (one allreduce each).</summary>
    public long BucketBytes { get; init; } = 25L << 20;

    public void Validate()
    {
        if (WarmupEpochs < 0) throw new ArgumentException($"The learning-rate warmup must not be negative ({WarmupEpochs} epochs).");
        if (!(TimeoutSeconds > 0)) throw new ArgumentException($"The distributed timeout must be positive, not {TimeoutSeconds} s.");
        if (BucketBytes < 1) throw new ArgumentException($"The gradient bucket size must be positive, not {BucketBytes} bytes.");
    }
}
