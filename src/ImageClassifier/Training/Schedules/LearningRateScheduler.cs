using ImageClassifier.Training.Callbacks;

namespace ImageClassifier.Training.Schedules;

/// <summary>
/// Sets the learning rate before every batch from a <see cref="LearningRateSchedule"/> whose peak is the options'
/// rate, over the run's planned steps (<see cref="TrainingContext.PlannedSteps"/>, read each batch, so a time budget
/// that re-plans the run re-plans the schedule). Keras' LearningRateScheduler, stepped per batch.
/// </summary>
public sealed class LearningRateScheduler(LearningRateSchedule schedule) : Callback
{
    public LearningRateSchedule Schedule { get; } = schedule;

    /// <summary>Multiplies the schedule's peak (a run rolled back after a NaN loss lowers the whole schedule).</summary>
    public double PeakFactor { get; init; } = 1;

    public override void OnEpochBegin(TrainingContext context, int epoch) => Apply(context, epoch, 1);

    public override void OnBatchBegin(TrainingContext context, int epoch, int batch) => Apply(context, epoch, batch);

    void Apply(TrainingContext context, int epoch, int batch)
    {
        long steps = context.StepsPerEpoch, step = (epoch - 1) * steps + batch - 1;
        context.LearningRate = Schedule.RateAt(step, context.PlannedSteps, context.Options.LearningRate * PeakFactor);
    }
}
