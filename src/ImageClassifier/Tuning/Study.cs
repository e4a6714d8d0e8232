using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ImageClassifier.Data.Loading;
using ImageClassifier.Recipes;
using ImageClassifier.Training.Callbacks;
using ImageClassifier.IO;

namespace ImageClassifier.Tuning;

/// <summary>
/// A hyperparameter search with the <see cref="TrainingRecipe"/>: configurations drawn from a <see cref="SearchSpace"/>,
/// trained in the brackets of <see cref="SearchSettings.Plan"/> (random search, successive halving or Hyperband), each
/// trial a fresh <c>recipe.Fit</c> on the same training/validation split with the study's seed, ranked on validation
/// accuracy. A configuration promoted to the next rung trains again from scratch for the rung's epochs, so every trial
/// is exactly what <c>imgclass train --config</c> with its values and epochs gives.
/// <para>
/// The study lives in its folder: study.json (settings, space, base recipe and every trial) is rewritten after each
/// trial, with trials.csv, trials.json and best.json; search.png and tune.html when it ends. Running a study on a
/// folder that holds one continues it: finished trials are taken from the file, not trained again. With a
/// <see cref="Budget"/>, no trial starts once it is spent and a running one stops at the end of its epoch.
/// </para>
/// </summary>
public sealed class Study(TrainingRecipe recipe, SearchSpace space, SearchSettings settings, string folder)
{
    public const string StateFile = "study.json";

    public TrainingRecipe Recipe { get; } = recipe;
    public SearchSpace Space { get; } = space;
    public SearchSettings Settings { get; } = settings;
    public string Folder { get; } = folder;

    /// <summary>Wall-clock time this run may take; null: none.</summary>
    public TimeSpan? Budget { get; init; }
    /// <summary>Where progress lines go: each trial's values and validation accuracy, the running best, the budget left.</summary>
    public TextWriter Log { get; init; } = TextWriter.Null;
    /// <summary>Where each trial's own training log goes (the recipe's epoch lines); nowhere by default.</summary>
    public TextWriter TrialLog { get; init; } = TextWriter.Null;
    /// <summary>The clock the budget is measured with (tests give a fake one).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Loads <paramref name="source"/> once, split as the recipe splits it (its validation split and seed), and runs the study on it.</summary>
    public StudyResult Run(string source, TrainingDataOptions? options = null)
    {
        using var data = TrainingData.Load(source, options ?? new TrainingDataOptions(), Recipe.ValidationSplit, Recipe.Seed);
        return Run(data);
    }

    /// <summary>
    /// Runs (or continues) the study on <paramref name="data"/>, whose validation part scores every trial; load it with the
    /// recipe's validation split and seed (as <see cref="Run(string, TrainingDataOptions?)"/> does) so that
    /// <c>imgclass train --config best.json</c> splits the same way.
    /// </summary>
    public StudyResult Run(TrainingData data)
    {
        Settings.Validate();
        Recipe.Validate();
        if (data.Validation is not { Count: > 0 })
            throw new ArgumentException("A search scores its trials on validation images: the recipe's validation split must be above 0.");
        long start = Clock.GetTimestamp();
        Directory.CreateDirectory(Folder);
        string described = $"{data.Name}: {data.Train.Count} training and {data.Validation.Count} validation images";
        var state = Resume(described) ?? new StudyState
        {
            Data = described, Seed = Recipe.Seed, Settings = Settings, Space = Space.ToJson(), Recipe = RecipeJson(Recipe),
        };
        var plan = Settings.Plan();
        int planned = plan.Sum(b => b.Trials);
        Log.WriteLine($"Search: {Describe(plan)}, {planned} trials planned, on {described}, seed {Recipe.Seed}; " +
            (Budget is TimeSpan budget ? $"budget {Durations.Format(budget)}" : "no time budget"));

        var run = new Progress(start, planned);
        bool complete = RunPlan(plan, data, state, run);
        var result = Finish(state, planned, run, complete);
        Log.WriteLine(complete
            ? $"Search complete: {result.Finished} trials."
            : $"The budget is spent after {result.Finished} of {planned} trials: run the same command again to continue the search.");
        if (result.Best is { } best)
            Log.WriteLine($"Best: trial {best.Number} (configuration {best.Config}, {best.Epochs} epochs), val_accuracy {best.ValAccuracy:0.0000}: {Values(best.Params)}");
        Log.WriteLine($"Wrote study.json, trials.csv, trials.json, {(result.BestConfig is null ? "" : "best.json, ")}search.png and tune.html to {Path.GetFullPath(Folder)}");
        return result;
    }

    // The running figures of this run of the study.
    sealed class Progress(long start, int planned)
    {
        public long Start { get; } = start;
        public int Planned { get; } = planned;
        public int Trained { get; set; }
        public int Reused { get; set; }
    }

    /// <summary>Runs the plan's brackets; false when the budget ran out first.</summary>
    bool RunPlan(IReadOnlyList<Bracket> plan, TrainingData data, StudyState state, Progress run)
    {
        int number = 0, config = 0;
        for (int b = 0; b < plan.Count; b++)
        {
            var rungs = plan[b].Rungs;
            var survivors = Enumerable.Range(config + 1, rungs[0].Configs).ToList();
            config += rungs[0].Configs;
            for (int r = 0; r < rungs.Count; r++)
            {
                var results = new List<Trial>();
                foreach (int c in survivors)
                {
                    var planned = new Trial { Number = ++number, Config = c, Bracket = b + 1, Rung = r + 1, Epochs = rungs[r].Epochs, Params = Space.Sample(Recipe.Seed, c) };
                    string heading = $"Trial {planned.Number}/{run.Planned} (bracket {planned.Bracket}/{plan.Count}, rung {planned.Rung}/{rungs.Count}, {Epochs(planned.Epochs)})";
                    if (Done(state, planned) is { } done)
                    {
                        run.Reused++;
                        Log.WriteLine($"{heading} done before: val_accuracy {done.ValAccuracy:0.0000}, {Values(done.Params)}");
                        results.Add(done);
                        continue;
                    }
                    if (Spent(run.Start)) return false;
                    Log.WriteLine($"{heading}: {Values(planned.Params)}");
                    var trial = Train(data, planned, run.Start);
                    run.Trained++;
                    state.Trials.RemoveAll(t => t.Number == trial.Number);
                    state.Trials.Add(trial);
                    state.Trials.Sort((x, y) => x.Number.CompareTo(y.Number));
                    Save(state);
                    Log.WriteLine($"  {Outcome(trial)}; {Standing(state, run.Start)}");
                    if (trial.Status == Trial.Stopped) return false;
                    results.Add(trial);
                }
                // The best 1/eta go on to the next rung, best first.
                if (r + 1 < rungs.Count)
                    survivors = Ranked(results).Take(rungs[r + 1].Configs).Select(t => t.Config).ToList();
            }
        }
        return true;
    }

    /// <summary>The finished (or failed) trial the state already holds for this place in the plan; one stopped by the budget is run again.</summary>
    static Trial? Done(StudyState state, Trial planned)
    {
        var saved = state.Trials.Find(t => t.Number == planned.Number);
        if (saved is null || saved.Status == Trial.Stopped) return null;
        if (saved.Config != planned.Config || saved.Epochs != planned.Epochs || !JsonNode.DeepEquals(saved.Params, planned.Params))
            throw new ArgumentException($"{StateFile} does not match its own settings at trial {planned.Number} (configuration {saved.Config} for {saved.Epochs} epochs saved, " +
                $"configuration {planned.Config} for {planned.Epochs} planned): it was changed by hand; start the search in another folder.");
        return saved;
    }

    /// <summary>Trials best first: highest validation accuracy, unscored ones last, earlier trials first among equals.</summary>
    public static IEnumerable<Trial> Ranked(IEnumerable<Trial> trials) =>
        trials.OrderByDescending(t => t.Scored ? t.ValAccuracy : double.NegativeInfinity).ThenBy(t => t.Number);

    Trial Train(TrainingData data, Trial planned, long start)
    {
        var budget = new BudgetStop(() => Spent(start));
        var extra = Recipe.ExtraCallbacks;
        var recipe = Space.Apply(Recipe, planned.Params) with
        {
            Epochs = planned.Epochs, Report = false, InteractiveProgress = false,
            ExtraCallbacks = stage => [.. extra?.Invoke(stage) ?? [], budget],
        };
        long began = Clock.GetTimestamp();
        double Seconds() => Math.Round(Clock.GetElapsedTime(began).TotalSeconds, 1);
        try
        {
            using var fitted = recipe.Fit(data, TrialLog);
            var best = fitted.History.Epochs[Math.Max(fitted.BestEpoch, 1) - 1];
            return planned with
            {
                Status = budget.Stopped ? Trial.Stopped : Trial.Finished,
                ValAccuracy = best.GetValueOrDefault("val_accuracy", double.NaN), ValLoss = best.GetValueOrDefault("val_loss", double.NaN),
                BestEpoch = fitted.BestEpoch, EpochsTrained = fitted.Epochs, Seconds = Seconds(),
            };
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // One configuration that cannot train (too little memory, a model that does not fit the images) does not end the search.
            return planned with { Status = Trial.Failed, Seconds = Seconds(), Error = $"{e.GetType().Name}: {e.Message}" };
        }
    }

    bool Spent(long start) => Budget is TimeSpan budget && Clock.GetElapsedTime(start) >= budget;

    /// <summary>Stops a trial at the end of an epoch once the study's budget is spent (not after its last epoch: that one finished).</summary>
    sealed class BudgetStop(Func<bool> spent) : Callback
    {
        public bool Stopped { get; private set; }

        public override void OnEpochEnd(TrainingContext context, int epoch, IReadOnlyDictionary<string, double> logs)
        {
            if (context.StopTraining || epoch >= context.Options.Epochs || !spent()) return;
            context.StopTraining = true;
            context.StopReason = "the search's time budget is spent";
            Stopped = true;
        }
    }

    // The study state of the folder when it holds one, checked to be this study's.
    StudyState? Resume(string described)
    {
        string path = Path.Combine(Folder, StateFile);
        if (!File.Exists(path)) return null;
        StudyState state;
        try { state = JsonSerializer.Deserialize<StudyState>(File.ReadAllText(path), TrainingResult.JsonOptions) ?? throw new JsonException("empty"); }
        catch (JsonException e) { throw new ArgumentException($"{path} is not a study this version can read ({e.Message}); start the search in another folder."); }
        string? differs =
            state.Version != StudyState.CurrentVersion ? $"version {state.Version}, not {StudyState.CurrentVersion}"
            : state.Data != described ? $"data '{state.Data}', not '{described}'"
            : state.Seed != Recipe.Seed ? $"seed {state.Seed}, not {Recipe.Seed}"
            : state.Settings != Settings ? $"search settings {Text(state.Settings)}, not {Text(Settings)}"
            : !JsonNode.DeepEquals(state.Space, Space.ToJson()) ? "another search space"
            : !JsonNode.DeepEquals(state.Recipe, RecipeJson(Recipe)) ? "another base recipe"
            : null;
        if (differs is not null)
            throw new ArgumentException($"{Path.GetFullPath(Folder)} holds a search with {differs}: run the same command to continue it, or give another output folder.");
        int finished = state.Trials.Count(t => t.Status != Trial.Stopped);
        Log.WriteLine($"Continuing the search in {Path.GetFullPath(Folder)}: {finished} trial(s) finished before will not run again.");
        return state;
    }

    void Save(StudyState state)
    {
        Write(StateFile, JsonSerializer.Serialize(state, TrainingResult.JsonOptions));
        TuningFiles.WriteTables(Folder, state, Space);
        if (Best(state) is { } best) BestRecipe(best).Save(Path.Combine(Folder, TuningFiles.BestConfig));
    }

    StudyResult Finish(StudyState state, int planned, Progress run, bool complete)
    {
        Save(state);
        var best = Best(state);
        var seconds = Clock.GetElapsedTime(run.Start);
        string report = TuningFiles.WritePictures(Folder, state, Space, new TuningSummary(planned, complete, Budget, seconds, best is null ? null : BestRecipe(best)));
        return new StudyResult(Path.GetFullPath(Folder), Settings.Method, planned, state.Trials.Count(t => t.Status != Trial.Stopped),
            run.Trained, run.Reused, complete, !complete, best,
            best is null ? null : Path.GetFullPath(Path.Combine(Folder, TuningFiles.BestConfig)), report, Math.Round(seconds.TotalSeconds, 1));
    }

    /// <summary>The best finished trial (the earliest among equals), or null when none scored.</summary>
    public static Trial? Best(StudyState state) => Ranked(state.Trials.Where(t => t.Scored)).FirstOrDefault();

    /// <summary>The recipe that trains <paramref name="trial"/> again: the base recipe with its values and epochs (best.json).</summary>
    public TrainingRecipe BestRecipe(Trial trial) =>
        Space.Apply(Recipe, trial.Params) with { Epochs = trial.Epochs, ExtraCallbacks = null, InteractiveProgress = false };

    void Write(string file, string text) => AtomicFile.WriteAllText(Path.Combine(Folder, file), text);

    static JsonObject RecipeJson(TrainingRecipe recipe) => JsonNode.Parse(recipe.ToJson())!.AsObject();

    string Standing(StudyState state, long start)
    {
        string best = Best(state) is { } b ? $"best {b.ValAccuracy:0.0000} (trial {b.Number})" : "no trial scored yet";
        string left = Budget is TimeSpan budget ? $"{Durations.Format(budget - Clock.GetElapsedTime(start))} of the budget left" : $"{Durations.Format(Clock.GetElapsedTime(start))} so far";
        return $"{best}; {left}";
    }

    static string Outcome(Trial trial) => trial.Status switch
    {
        Trial.Stopped => $"stopped after {trial.EpochsTrained} of {trial.Epochs} epochs, the budget is spent (it runs again when the search is continued)",
        Trial.Failed => $"failed: {trial.Error}",
        _ => $"val_accuracy {trial.ValAccuracy:0.0000} (best epoch {trial.BestEpoch} of {trial.EpochsTrained}) in {Durations.Format(TimeSpan.FromSeconds(trial.Seconds))}",
    };

    static string Epochs(int epochs) => epochs == 1 ? "1 epoch" : $"{epochs} epochs";

    /// <summary>"learning_rate=0.00123, batch_size=64".</summary>
    public static string Values(JsonObject values) => string.Join(", ", values.Select(kv => $"{kv.Key}={SearchParameter.Format(kv.Value)}"));

    static string Describe(IReadOnlyList<Bracket> plan) =>
        plan.Count == 1 && plan[0].Rungs.Count == 1 ? $"random search of {plan[0].Rungs[0].Configs} configurations for {Epochs(plan[0].Rungs[0].Epochs)}"
        : $"{(plan.Count == 1 ? "successive halving" : "hyperband")} in {plan.Count} bracket(s) ({string.Join("; ", plan.Select(b => string.Join(", ", b.Rungs.Select(r => $"{r.Configs}x{r.Epochs}"))))} configurations x epochs)";

    static string Text(SearchSettings s) => string.Create(CultureInfo.InvariantCulture, $"{s.Method} trials={s.Trials} epochs={s.MinEpochs}..{s.MaxEpochs} eta={s.Eta}");
}

/// <summary>study.json: everything needed to continue a search and to check that it is the same search.</summary>
public sealed record StudyState
{
    public const int CurrentVersion = 1;
    public int Version { get; init; } = CurrentVersion;
    /// <summary>The data and its split, in words ("fashion-mnist: 5400 training and 600 validation images").</summary>
    public string Data { get; init; } = "";
    public int Seed { get; init; }
    public SearchSettings Settings { get; init; } = new();
    public JsonObject Space { get; init; } = [];
    /// <summary>The base recipe (what the space does not set), as best.json writes recipes.</summary>
    public JsonObject Recipe { get; init; } = [];
    public List<Trial> Trials { get; init; } = [];
}

/// <summary>What a run of a study did: the imgclass tune --json output.</summary>
public sealed record StudyResult(string Output, string Method, int Planned, int Finished, int Trained, int Reused, bool Complete, bool BudgetSpent,
    Trial? Best, string? BestConfig, string Report, double Seconds);
