using ImageClassifier.Imaging;
using ImageClassifier.Models;
using ImageClassifier.Tests.TestSupport;
using ImageClassifier.Training;
using ImageClassifier.Training.Callbacks;
using ImageClassifier.Training.Schedules;

namespace ImageClassifier.Tests.Training.Schedules;

public class LearningRateScheduleTests
{
    // PyTorch's OneCycleLR(max_lr=0.2, total_steps=100, pct_start=0.25): the rise ends at step 24, the fall at step 99.
    [Theory]
    [InlineData(0, 0.008)]                       // max_lr / div_factor 25
    [InlineData(12, 0.104)]                      // half way up: 0.008 + 0.192 x (1 - cos(pi/2)) / 2
    [InlineData(24, 0.2)]                        // the peak
    [InlineData(49, 8e-7 + (0.2 - 8e-7) * 0.75)] // a third of the way down: (1 + cos(pi/3)) / 2 = 0.75
    [InlineData(99, 8e-7)]                       // initial / final_div_factor 1e4
    public void One_cycle_matches_hand_computed_rates(long step, double expected) =>
        Assert.Equal(expected, new OneCycle(0.25).RateAt(step, 100, 0.2), 12);

    [Theory]
    [InlineData(0, 0.1)]    // linear warmup over 10 of 100 steps: (0 + 1) / 10
    [InlineData(9, 1.0)]    // the end of the warmup
    [InlineData(10, 1.0)]   // the cosine starts at the peak
    [InlineData(55, 0.5)]   // half way through the 90 cosine steps
    [InlineData(100, 0.0)]  // the end
    public void Warmup_cosine_matches_hand_computed_rates(long step, double expected) =>
        Assert.Equal(expected, new WarmupCosine(0.1).RateAt(step, 100, 1.0), 12);

    [Fact]
    public void Parse_reads_names_and_warmup_fractions_and_names_what_is_wrong()
    {
        Assert.Equal(new OneCycle(0.3), LearningRateSchedule.Parse("one-cycle:0.3"));
        Assert.Equal(new WarmupCosine(WarmupCosine.DefaultWarmup), LearningRateSchedule.Parse("cosine"));
        Assert.IsType<ConstantRate>(LearningRateSchedule.Parse("constant"));
        Assert.Contains("Unknown schedule 'step'", Assert.Throws<ArgumentException>(() => LearningRateSchedule.Parse("step")).Message);
        Assert.Contains("between 0 and 1", Assert.Throws<ArgumentException>(() => LearningRateSchedule.Parse("one-cycle:1.5")).Message);
    }

    // An MLP trained on 64 left-right images in batches of 16 (4 steps an epoch) by SGD at a peak rate of 0.5.
    static History FitLeftRight(int epochs, params Callback[] callbacks)
    {
        var data = Synthetic.LeftRight(64, seed: 1);
        using var model = Classifier.Create("mlp", new ImageShape(1, 8, 8), data.ClassNames);
        return model.Fit(data, null, new TrainingOptions { Epochs = epochs, BatchSize = 16, Optimizer = "sgd", LearningRate = 0.5 }, callbacks);
    }

    sealed class RateProbe : Callback
    {
        public readonly List<double> Rates = [];
        public override void OnGradients(TrainingContext context, int epoch, int batch) => Rates.Add(context.LearningRate);
    }

    [Fact]
    public void The_scheduler_sets_every_batchs_rate_and_the_history_logs_each_epochs_first()
    {
        var schedule = new OneCycle(0.25);
        var probe = new RateProbe();
        var history = FitLeftRight(epochs: 3, new LearningRateScheduler(schedule), probe);

        Assert.Equal(12, probe.Rates.Count); // 3 epochs of 4 batches, each stepped with its own rate
        for (int step = 0; step < 12; step++) Assert.Equal(schedule.RateAt(step, 12, 0.5), probe.Rates[step], 9);
        double[] logged = history.Values("lr");
        for (int epoch = 0; epoch < 3; epoch++) Assert.Equal(schedule.RateAt(4 * epoch, 12, 0.5), logged[epoch], 9);
    }

    // What a time budget does once it has measured the speed: re-plans the run as whole epochs and a last one cut short.
    sealed class CutShortPlan(int epochs, int lastEpochSteps) : Callback
    {
        public override void OnTrainBegin(TrainingContext context) => (context.Epochs, context.LastEpochSteps) = (epochs, lastEpochSteps);
    }

    [Fact]
    public void A_last_epoch_cut_short_ends_the_run_and_the_schedule_on_its_last_step()
    {
        var schedule = new OneCycle(0.25);
        var probe = new RateProbe();
        // The plan: 2 epochs of 4 batches and a third of 2 batches, 10 steps (the options' 1 epoch was only the plan before).
        var history = FitLeftRight(epochs: 1, new CutShortPlan(3, 2), new LearningRateScheduler(schedule), probe);

        Assert.Equal(3, history.Epochs.Count);
        Assert.Equal(10, probe.Rates.Count);
        for (int step = 0; step < 10; step++) Assert.Equal(schedule.RateAt(step, 10, 0.5), probe.Rates[step], 9);
        Assert.Equal(8e-7 * 0.5 / 0.2, probe.Rates[^1], 9); // one-cycle's final rate: the peak / 25 / 1e4
    }
}
