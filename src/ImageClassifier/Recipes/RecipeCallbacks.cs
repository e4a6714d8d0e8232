using ImageClassifier.Serialization;
using ImageClassifier.Training.Callbacks;

namespace ImageClassifier.Recipes;

/// <summary>
/// The callbacks of a <see cref="TrainingRecipe"/>, fresh for each stage: stop on NaN, early stopping with the best
/// weights restored, reduce-LR on plateau, progress, and with an output folder the best-only checkpoint and the history files, all watching
/// the recipe's monitored metric (the training one when there is no validation data).
/// </summary>
sealed class RecipeCallbacks(TrainingRecipe recipe, string? folder, bool validating, TextWriter log, Func<IEnumerable<Callback>>? distributed = null)
{
    readonly string watched = validating ? recipe.Monitor : recipe.Monitor.Replace("val_", "");
    EarlyStopping? stopper;

    /// <summary>The best epoch of the last stage (1-based), as early stopping saw it.</summary>
    public int BestEpoch => stopper?.BestEpoch ?? 0;

    /// <param name="stage">"train", "head" or "fine-tune": the fine-tuning stage writes fine-tune-history.*.</param>
    public IEnumerable<Callback> For(string stage)
    {
        string prefix = stage == "fine-tune" ? "fine-tune-" : "";
        stopper = new EarlyStopping(watched, recipe.Patience, restoreBestWeights: true);
        return
        [
            .. distributed?.Invoke() ?? [], // first: the others see the job's combined figures
            new TerminateOnNaN(),
            stopper,
            new ReduceLROnPlateau(watched, recipe.ReduceLrFactor, recipe.ReduceLrPatience, recipe.MinLr),
            .. Files(prefix),
            new ProgressLogger(log, recipe.InteractiveProgress),
            .. recipe.ExtraCallbacks?.Invoke(stage) ?? [],
        ];
    }

    // The best-only checkpoint and the history files, when the run has an output folder.
    IEnumerable<Callback> Files(string prefix) => folder is null ? [] :
    [
        new ModelCheckpoint(Path.Combine(folder, "model" + ModelFile.Extension), watched, saveBestOnly: true),
        new HistoryLogger(Path.Combine(folder, prefix + "history.csv"), Path.Combine(folder, prefix + "history.json")),
    ];
}
