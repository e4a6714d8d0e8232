using ImageClassifier.Serialization;
using ImageClassifier.Training.Averaging;
using ImageClassifier.Training.Budget;
using ImageClassifier.Training.Callbacks;
using ImageClassifier.Training.Checkpoints;
using ImageClassifier.Training.Schedules;

namespace ImageClassifier.Recipes;

/// <summary>
/// The callbacks of a <see cref="TrainingRecipe"/>, fresh for each stage: stop on NaN, early stopping with the best
/// weights restored and reduce-LR on plateau (or, instead of both, a learning-rate schedule and/or a moving average of
/// the weights, which plan and use the whole run), a time budget, progress, and with an output folder the best-only
/// checkpoint and the history files, all watching the recipe's monitored metric (the training one when there is no
/// validation data). A run into an output folder fails on a NaN loss (<see cref="NonFiniteLossGuard"/>) rather than keeping
/// what diverged, and with <paramref name="checkpoints"/> writes training checkpoints last, after every other callback has
/// done its part of the step.
/// </summary>
sealed class RecipeCallbacks(TrainingRecipe recipe, string? folder, bool validating, TextWriter log, Func<TimeBudget>? budget = null,
    bool failOnNan = false, CheckpointSettings? checkpoints = null, Func<IEnumerable<Callback>>? distributed = null)
{
    readonly string watched = validating ? recipe.Monitor : recipe.Monitor.Replace("val_", "");
    EarlyStopping? stopper;

    /// <summary>The best epoch of the last stage (1-based) as early stopping saw it; 0 without early stopping (the last epoch counts).</summary>
    public int BestEpoch => stopper?.BestEpoch ?? 0;

    /// <summary>The last stage's time budget, when the recipe has one.</summary>
    public TimeBudget? Budget { get; private set; }

    /// <param name="stage">"train", "head" or "fine-tune": the fine-tuning stage writes fine-tune-history.*.</param>
    public IEnumerable<Callback> For(string stage)
    {
        string prefix = stage == "fine-tune" ? "fine-tune-" : "";
        var schedule = LearningRateSchedule.Parse(recipe.Schedule);
        bool planned = schedule is not ConstantRate || recipe.Ema is not null;
        stopper = planned ? null : new EarlyStopping(watched, recipe.Patience, restoreBestWeights: true);
        Budget = budget?.Invoke();
        return
        [
            .. distributed?.Invoke() ?? [], // first: the others see the job's combined figures
            failOnNan ? new NonFiniteLossGuard() : new TerminateOnNaN(),
            // A NaN rollback halves the rate: once (the checkpoint holds the rate of earlier ones), or with a schedule,
            // which sets the rate every batch, its peak, for every rollback of the run.
            .. checkpoints is { RateFactor: not 1 } && schedule is ConstantRate ? [new ScaleLearningRateOnce(checkpoints.RateFactor)] : Array.Empty<Callback>(),
            .. planned ? [] : new Callback[] { stopper!, new ReduceLROnPlateau(watched, recipe.ReduceLrFactor, recipe.ReduceLrPatience, recipe.MinLr) },
            .. schedule is ConstantRate ? [] : new Callback[] { new LearningRateScheduler(schedule) { PeakFactor = Math.Pow(0.5, checkpoints?.Info.Rollbacks ?? 0) } },
            .. Budget is null ? [] : new Callback[] { Budget },
            .. Files(prefix),
            new ProgressLogger(log, recipe.InteractiveProgress),
            .. recipe.ExtraCallbacks?.Invoke(stage) ?? [],
            // Last but for the checkpoints, so that the averaged weights are what the model holds when training ends.
            .. recipe.Ema is { } decay ? new Callback[] { new ExponentialMovingAverage(decay) } : [],
            .. checkpoints is null ? [] : new[] { checkpoints.Callback(recipe) },
        ];
    }

    // The best-only checkpoint and the history files, when the run has an output folder.
    IEnumerable<Callback> Files(string prefix) => folder is null ? [] :
    [
        new ModelCheckpoint(Path.Combine(folder, "model" + ModelFile.Extension), watched, saveBestOnly: true),
        new HistoryLogger(Path.Combine(folder, prefix + "history.csv"), Path.Combine(folder, prefix + "history.json")),
    ];
}

/// <summary>How a recipe run checkpoints: where, what it stores of the run, the checkpoint it resumed from, and the learning-rate factor of a NaN rollback.</summary>
sealed record CheckpointSettings(CheckpointFolder Folder, RunInfo Info, string? ResumedFrom, double RateFactor)
{
    public Checkpointing Callback(TrainingRecipe recipe) =>
        new(Folder, recipe.CheckpointEvery, Info.ToJson, recipe.Stop) { ResumedFrom = ResumedFrom, EpochEndsOnly = recipe.Distributed is not null };
}

/// <summary>Multiplies the learning rate once, before the first batch of a run rolled back after a NaN loss.</summary>
sealed class ScaleLearningRateOnce(double factor) : Callback
{
    bool done;

    public override void OnEpochBegin(TrainingContext context, int epoch) => Apply(context);
    public override void OnBatchBegin(TrainingContext context, int epoch, int batch) => Apply(context);

    void Apply(TrainingContext context)
    {
        if (done) return;
        done = true;
        context.LearningRate *= factor;
    }
}
