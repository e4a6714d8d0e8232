using ImageClassifier.Data.Loading;
using ImageClassifier.Recipes;
using ImageClassifier.Tests.TestSupport;

namespace ImageClassifier.Tests.Training.Budget;

/// <summary>A time budget fits the epochs to the clock: a real run, timed.</summary>
[Trait("Category", "Slow")]
public sealed class TimeBudgetTests
{
    [Fact]
    public void A_budgeted_run_plans_several_epochs_and_ends_within_its_budget_having_used_it()
    {
        using var dir = new TempDirectory();
        var log = new StringWriter();
        const double budget = 30;
        // The tutorial CNN with a schedule (no early stopping: the budget alone ends it), small enough that several
        // epochs of 2,000 images and the 10,000-image test evaluation fit 30 s even on a machine 3x slower than ours.
        var recipe = TrainingRecipe.Default with { Schedule = "cosine", BudgetSeconds = budget, Report = false, Epochs = 1 };
        var result = recipe.Run("fashion-mnist", dir.File("run"), new TrainingDataOptions { Limit = 2000 }, log);

        Assert.Contains("Time budget 30s:", log.ToString());
        // The budget, not --epochs (1), sets how long it trains.
        Assert.True(result.Epochs >= 2, $"only {result.Epochs} epoch(s) in {budget}s:\n{log}");
        // Generous: the plan is made from the speed of the first steps, and a loaded machine (other tests, other
        // processes) can slow the later ones; 40% over the budget would mean the plan itself is wrong.
        Assert.True(result.Seconds <= budget * 1.4, $"took {result.Seconds}s of a {budget}s budget:\n{log}");
        // The plan is in steps (the last epoch cut short) and re-made at each epoch's end, so the budget is used, not
        // left over as the part of an epoch that did not fit: at least half of it, whatever the speed.
        Assert.True(result.Seconds >= budget * 0.5, $"took only {result.Seconds}s of a {budget}s budget:\n{log}");
        Assert.NotNull(result.TestAccuracy);
    }
}
