namespace ImageClassifier.Training.Checkpoints;

/// <summary>
/// Where training stands, as the training loop keeps it after every batch: the epoch in progress, how many of its
/// batches are done and the running sums of its loss and accuracy. A checkpoint holds it, so that a resumed run
/// continues with the next batch and reports the same epoch figures as a run that was never stopped.
/// </summary>
public sealed class TrainingPosition
{
    /// <summary>The epoch in progress, or the next to start when <see cref="BatchesDone"/> is 0 (1-based).</summary>
    public int Epoch { get; set; } = 1;
    /// <summary>Batches of <see cref="Epoch"/> already trained.</summary>
    public int BatchesDone { get; set; }
    /// <summary>Sum over the epoch's images so far of the loss (times batch size), and the right predictions.</summary>
    public double LossSum { get; set; }
    public long Correct { get; set; }
    public int Seen { get; set; }
    /// <summary>Seconds spent on the epoch's batches so far (in earlier processes, for a resumed epoch).</summary>
    public double Seconds { get; set; }
    /// <summary>The learning rate when the epoch began (what the history's lr column reports).</summary>
    public double EpochLearningRate { get; set; }

    /// <summary>True when the epoch has begun (its OnEpochBegin ran): a resumed run then continues it without beginning it again.</summary>
    public bool EpochBegun { get; set; }

    /// <summary>Moves to the start of <paramref name="epoch"/>.</summary>
    public void StartOf(int epoch)
    {
        (Epoch, BatchesDone, LossSum, Correct, Seen, Seconds, EpochBegun) = (epoch, 0, 0, 0, 0, 0, false);
    }
}
