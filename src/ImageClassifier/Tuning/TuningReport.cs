using System.Globalization;
using System.Net;
using ImageClassifier.Reporting;

namespace ImageClassifier.Tuning;

/// <summary>tune.html: one self-contained page about a study, in the style of the training report.</summary>
public static class TuningReport
{
    public static string Render(StudyState state, SearchSpace space, TuningSummary summary, byte[] plot)
    {
        var best = Study.Best(state);
        var plan = state.Settings.Plan();
        int finished = state.Trials.Count(t => t.Status != Trial.Stopped);
        string status = summary.Complete ? "complete" : "budget spent: the same command continues it";
        string title = $"Hyperparameter search on {state.Data.Split(':')[0]}";

        string overview = Html.Cards(
        [
            ("best validation accuracy", best is null ? "none yet" : Html.Percent(best.ValAccuracy)),
            ("trials finished", $"{Html.Count(finished)} of {Html.Count(summary.Planned)}"),
            ("method", state.Settings.Method),
            ("time in this run", Durations.Format(summary.Elapsed)),
            ("budget", summary.Budget is TimeSpan budget ? Durations.Format(budget) : "none"),
        ]) + $"<p>On {Html.Escape(state.Data)}; the search is {Html.Escape(status)}.</p>";

        string bestSection = best is null ? "<p class=\"note\">No trial has finished yet.</p>" :
            Html.Facts([("trial", Html.Count(best.Number)), ("configuration", Html.Count(best.Config)), ("epochs", Html.Count(best.Epochs)),
                ("best epoch", Html.Count(best.BestEpoch)), ("validation accuracy", Html.Number(best.ValAccuracy)), ("validation loss", Html.Number(best.ValLoss)),
                .. best.Params.Select(kv => (kv.Key, SearchParameter.Format(kv.Value)))])
            + "<p>best.json holds its whole recipe; <code>imgclass train --config best.json</code> on the same data (same <code>--limit</code>) trains it again.</p>"
            + (summary.BestRecipe is { } recipe ? $"<pre>{WebUtility.HtmlEncode(recipe.ToJson())}</pre>" : "");

        string picture = Html.Image(plot, "Validation accuracy against trial and against each searched parameter")
            + "<p class=\"note\">Points are coloured by the epochs the trial trained; the grey line is the best so far.</p>";

        var names = space.Parameters.Select(p => p.Name).ToArray();
        var numeric = new HashSet<int> { 0, 1, 2, 3, 4, 6, 7, 8, 9 };
        string trials = Html.Table(["trial", "config", "bracket", "rung", "epochs", "status", "val accuracy", "val loss", "best epoch", "seconds", .. names],
            state.Trials.Select(t => (IReadOnlyList<string>)
            [
                Html.Count(t.Number), Html.Count(t.Config), Html.Count(t.Bracket), Html.Count(t.Rung), Html.Count(t.Epochs),
                t.Status + (t.Error is null ? "" : $": {t.Error}"), Html.Number(t.ValAccuracy), Html.Number(t.ValLoss), Html.Count(t.BestEpoch),
                t.Seconds.ToString("0.0", CultureInfo.InvariantCulture), .. names.Select(n => SearchParameter.Format(t.Params[n])),
            ]), "Every trial, in the order run", numeric);

        string spaceTable = Html.Table(["parameter", "drawn from"], space.Parameters.Select(p => (IReadOnlyList<string>)[p.Name, p.ToString()]), "Search space");
        string settings = Html.Facts(
        [
            ("method", state.Settings.Method),
            ("brackets (configurations x epochs per rung)", string.Join("; ", plan.Select(b => string.Join(", ", b.Rungs.Select(r => $"{r.Configs}x{r.Epochs}"))))),
            ("eta (halving rate)", Html.Count(state.Settings.Eta)),
            ("epochs, fewest to most", $"{state.Settings.MinEpochs} to {state.Settings.MaxEpochs}"),
            ("seed (split, weights, batches)", Html.Count(state.Seed)),
        ]) + "<p>Each trial trains a fresh model with the base recipe and its values, for its rung's epochs; a configuration promoted to the next rung trains again from scratch. All are scored on the same validation split.</p>"
           + $"<p>Base recipe:</p><pre>{WebUtility.HtmlEncode(state.Recipe.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }))}</pre>";

        return Html.Page(title, $"imgclass tune, {DateTimeOffset.Now.ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture)}",
        [
            ("summary", "Summary", overview),
            ("best", "Best configuration", bestSection),
            ("search", "Search", picture),
            ("trials", "Trials", trials),
            ("space", "Search space and settings", spaceTable + settings),
        ]);
    }
}
