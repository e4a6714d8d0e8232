using System.Diagnostics;
using ImageClassifier.Training.Callbacks;

namespace ImageClassifier.Training.Budget;

/// <summary>
/// Fits the number of epochs to a wall-clock budget. After <see cref="MeasuredSteps"/> batches of the first
/// epoch (the first few left out: they pay for allocation) it measures the time per step, and plans as many
/// whole epochs as fit in what is left of the budget once <paramref name="reserve"/> (the time evaluation and
/// saving will need, given the measured training images/s) is set aside. At each epoch's end it checks the plan
/// against the epochs' real duration (validation included) and plans fewer when time runs short, never more,
/// so a schedule planned over the epochs changes at most when it must. The clock is the caller's: it starts
/// when the run starts (data loading counts).
/// </summary>
public sealed class TimeBudget(TimeSpan budget, Stopwatch clock, Func<double, TimeSpan> reserve, int measuredSteps = 20, Action<string>? report = null) : Callback
{
    const int SkippedSteps = 3;
    double stepStart = double.NaN, trainStart;

    public TimeSpan Budget { get; } = budget > TimeSpan.Zero ? budget
        : throw new ArgumentException($"A time budget must be positive, not {budget}.");

    /// <summary>The measured training speed (images/s) the plan was made with; NaN before it is measured.</summary>
    public double ImagesPerSecond { get; private set; } = double.NaN;

    /// <summary>The epochs first planned from the measured speed (0 before it is measured).</summary>
    public int PlannedEpochs { get; private set; }

    public int MeasuredSteps { get; } = Math.Max(measuredSteps, SkippedSteps + 2);

    public override void OnTrainBegin(TrainingContext context) => trainStart = clock.Elapsed.TotalSeconds;

    public override void OnBatchEnd(TrainingContext context, BatchLog batch)
    {
        if (batch.Epoch != 1 || PlannedEpochs > 0) return;
        int measureUntil = Math.Min(MeasuredSteps, batch.Batches);
        if (batch.Batch == Math.Min(SkippedSteps, measureUntil - 1)) stepStart = clock.Elapsed.TotalSeconds;
        if (batch.Batch < measureUntil || double.IsNaN(stepStart)) return;
        double secondsPerStep = (clock.Elapsed.TotalSeconds - stepStart) / (batch.Batch - Math.Min(SkippedSteps, measureUntil - 1));
        double epochSeconds = secondsPerStep * context.StepsPerEpoch;
        ImagesPerSecond = context.Options.BatchSize / secondsPerStep;
        double available = Budget.TotalSeconds - reserve(ImagesPerSecond).TotalSeconds - trainStart;
        PlannedEpochs = Math.Max(1, (int)(available / epochSeconds));
        context.Epochs = PlannedEpochs;
        report?.Invoke(FormattableString.Invariant(
            $"Time budget {Budget.TotalSeconds:0}s: {ImagesPerSecond:N0} training images/s measured, {PlannedEpochs} epoch{(PlannedEpochs == 1 ? "" : "s")} planned ({epochSeconds:0.0}s each, {reserve(ImagesPerSecond).TotalSeconds:0}s kept for evaluation and saving)"));
    }

    public override void OnEpochEnd(TrainingContext context, int epoch, IReadOnlyDictionary<string, double> logs)
    {
        double now = clock.Elapsed.TotalSeconds, epochSeconds = (now - trainStart) / epoch;
        double rate = double.IsNaN(ImagesPerSecond) ? context.TrainCount / epochSeconds : ImagesPerSecond;
        double left = Budget.TotalSeconds - reserve(rate).TotalSeconds - now;
        int affordable = epoch + Math.Max(0, (int)(left / epochSeconds));
        if (affordable >= context.Epochs) return;
        context.Epochs = affordable;
        report?.Invoke($"Time budget: {affordable} epochs fit, not {PlannedEpochs} as planned: stopping sooner");
    }
}
