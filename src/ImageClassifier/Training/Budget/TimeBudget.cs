using System.Diagnostics;
using ImageClassifier.Training.Callbacks;

namespace ImageClassifier.Training.Budget;

/// <summary>
/// Fits the training steps to a wall-clock budget. After <see cref="MeasuredSteps"/> batches of the first
/// epoch (the first few left out: they pay for allocation) it measures the time per step, and plans as many
/// steps as fit in what is left of the budget once <paramref name="reserve"/> (the time evaluation and saving
/// will need, given the measured training images/s) is set aside: whole epochs, and the last one cut short
/// where a whole one would not fit (<see cref="TrainingContext.LastEpochSteps"/>), so no time is left unused.
/// At each epoch's end it re-plans from the epochs' real duration (validation included): more steps when the
/// speed has risen past the first steps' (libtorch warms up over the first epoch: 25-40% here), fewer whenever
/// time runs short, and none when up to 2% more would fit, so a schedule planned over the steps moves only when
/// it must. The clock is the caller's: it starts when the run starts (data loading counts).
/// </summary>
public sealed class TimeBudget(TimeSpan budget, Stopwatch clock, Func<double, TimeSpan> reserve, int measuredSteps = 20, Action<string>? report = null) : Callback
{
    const int SkippedSteps = 3;
    double stepStart = double.NaN, trainStart;

    public TimeSpan Budget { get; } = budget > TimeSpan.Zero ? budget
        : throw new ArgumentException($"A time budget must be positive, not {budget}.");

    /// <summary>The measured training speed (images/s) the plan was made with; NaN before it is measured.</summary>
    public double ImagesPerSecond { get; private set; } = double.NaN;

    /// <summary>The epochs first planned from the measured speed, the last perhaps cut short (0 before it is measured).</summary>
    public int PlannedEpochs { get; private set; }

    /// <summary>The training steps first planned from the measured speed (0 before it is measured).</summary>
    public long PlannedSteps { get; private set; }

    public int MeasuredSteps { get; } = Math.Max(measuredSteps, SkippedSteps + 2);

    public override void OnTrainBegin(TrainingContext context) => trainStart = clock.Elapsed.TotalSeconds;

    public override void OnBatchEnd(TrainingContext context, BatchLog batch)
    {
        if (batch.Epoch != 1 || PlannedEpochs > 0) return;
        int measureUntil = Math.Min(MeasuredSteps, batch.Batches);
        if (batch.Batch == Math.Min(SkippedSteps, measureUntil - 1)) stepStart = clock.Elapsed.TotalSeconds;
        if (batch.Batch < measureUntil || double.IsNaN(stepStart)) return;
        double secondsPerStep = (clock.Elapsed.TotalSeconds - stepStart) / (batch.Batch - Math.Min(SkippedSteps, measureUntil - 1));
        ImagesPerSecond = context.Options.BatchSize / secondsPerStep;
        double available = Budget.TotalSeconds - reserve(ImagesPerSecond).TotalSeconds - trainStart;
        Plan(context, Math.Max(batch.Batch + 1, (long)(available / secondsPerStep)));
        PlannedSteps = context.PlannedSteps;
        PlannedEpochs = context.Epochs;
        string last = context.LastEpochSteps is { } cut ? $", the last cut to {cut} of its {context.StepsPerEpoch} steps" : "";
        report?.Invoke(FormattableString.Invariant(
            $"Time budget {Budget.TotalSeconds:0}s: {ImagesPerSecond:N0} training images/s measured, {PlannedEpochs} epoch{(PlannedEpochs == 1 ? "" : "s")} planned{last} ({secondsPerStep * context.StepsPerEpoch:0.0}s a whole epoch, {reserve(ImagesPerSecond).TotalSeconds:0}s kept for evaluation and saving)"));
    }

    public override void OnEpochEnd(TrainingContext context, int epoch, IReadOnlyDictionary<string, double> logs)
    {
        if (epoch >= context.Epochs) return;
        double now = clock.Elapsed.TotalSeconds, secondsPerStep = (now - trainStart) / ((long)epoch * context.StepsPerEpoch);
        double rate = double.IsNaN(ImagesPerSecond) ? context.Options.BatchSize / secondsPerStep : ImagesPerSecond;
        double left = Budget.TotalSeconds - reserve(rate).TotalSeconds - now;
        long affordable = (long)epoch * context.StepsPerEpoch + Math.Max(0, (long)(left / secondsPerStep));
        long planned = context.PlannedSteps;
        // Up to 2% more time than planned: keep the plan, so the schedule does not move for noise. Less: plan less, always.
        if (affordable >= planned && affordable - planned <= planned / 50) return;
        Plan(context, Math.Max(affordable, (long)epoch * context.StepsPerEpoch));
        report?.Invoke($"Time budget: {context.PlannedSteps} steps fit at the speed of {epoch} epoch{(epoch == 1 ? "" : "s")}, not {planned} as planned: " +
            (context.PlannedSteps > planned ? "training longer" : "stopping sooner"));
    }

    // Whole epochs, then what is left over as a last epoch cut short.
    static void Plan(TrainingContext context, long steps)
    {
        int perEpoch = context.StepsPerEpoch;
        context.Epochs = (int)Math.Max(1, (steps + perEpoch - 1) / perEpoch);
        int last = (int)(steps - (long)(context.Epochs - 1) * perEpoch);
        context.LastEpochSteps = last >= perEpoch ? null : last;
    }
}
