using System.Text.Json;
using System.Text.Json.Nodes;
using ImageClassifier.Data.Loading;
using ImageClassifier.Recipes;
using ImageClassifier.Tests.Reporting;
using ImageClassifier.Tests.TestSupport;
using ImageClassifier.Training.Callbacks;
using ImageClassifier.Tuning;

namespace ImageClassifier.Tests.Tuning;

/// <summary>
/// Studies on 400 Fashion-MNIST images with the mlp, 1-3 epochs a trial: resuming without repeating finished trials,
/// the budget respected (on a fake clock, so the test does not depend on the machine's speed), and the files written.
/// </summary>
public sealed class StudyTests
{
    const string Space = """
        {
          "learning_rate": { "kind": "log_uniform", "low": 3e-4, "high": 3e-2 },
          "batch_size": { "kind": "choice", "values": [16, 32, 64] }
        }
        """;

    static readonly TrainingRecipe Base = new() { Model = "mlp", Seed = 11 };

    static TrainingData Data() => TrainingData.FromDataset(FashionMnist.Train.Take(400), null, 0.1, Base.Seed);

    /// <summary>Counts trainings (each trial's recipe.Fit starts one) and, with a fake clock, makes each epoch take 10 s.</summary>
    sealed class Trainings(FakeClock? clock = null) : Callback
    {
        public int Started { get; private set; }
        public override void OnTrainBegin(TrainingContext context) => Started++;
        public override void OnEpochEnd(TrainingContext context, int epoch, IReadOnlyDictionary<string, double> logs) => clock?.Advance(TimeSpan.FromSeconds(10));
    }

    sealed class FakeClock : TimeProvider
    {
        long ticks;
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
        public override long GetTimestamp() => ticks;
        public void Advance(TimeSpan by) => ticks += by.Ticks;
    }

    static Study NewStudy(string folder, SearchSettings settings, Trainings counter, TimeSpan? budget = null, FakeClock? clock = null) =>
        new(Base with { ExtraCallbacks = _ => [counter] }, SearchSpace.Parse(Space), settings, folder)
        {
            Budget = budget, Clock = clock ?? (TimeProvider)TimeProvider.System,
        };

    static StudyState State(string folder) =>
        JsonSerializer.Deserialize<StudyState>(File.ReadAllText(Path.Combine(folder, Study.StateFile)), TrainingResult.JsonOptions)!;

    [Fact]
    public void Successive_halving_promotes_the_best_and_writes_the_studys_files()
    {
        using var dir = new TempDirectory();
        using var data = Data();
        var counter = new Trainings();
        // 3 configurations for 1 epoch, the best for 3: 4 trainings.
        var result = NewStudy(dir.Path, new SearchSettings { Method = "halving", Trials = 3, MinEpochs = 1, MaxEpochs = 3 }, counter).Run(data);

        Assert.True(result.Complete);
        Assert.Equal((4, 4, 4, 0), (result.Planned, result.Finished, result.Trained, result.Reused));
        Assert.Equal(4, counter.Started);
        var trials = State(dir.Path).Trials;
        Assert.Equal([1, 1, 1, 3], trials.Select(t => t.Epochs));
        Assert.All(trials, t => Assert.Equal(Trial.Finished, t.Status));
        // The promoted configuration is the best of the first rung.
        var best = Study.Ranked(trials.Take(3)).First();
        Assert.Equal(best.Config, trials[3].Config);
        Assert.True(JsonNode.DeepEquals(best.Params, trials[3].Params));

        foreach (string file in new[] { Study.StateFile, TuningFiles.TrialsCsv, TuningFiles.TrialsJson, TuningFiles.BestConfig, TuningFiles.Plot, TuningFiles.Report })
            Assert.True(File.Exists(dir.File(file)), file);
        Assert.Equal(5, File.ReadAllLines(dir.File(TuningFiles.TrialsCsv)).Length);
        Assert.StartsWith("trial,config,bracket,rung,epochs,status,val_accuracy", File.ReadAllText(dir.File(TuningFiles.TrialsCsv)));
        PngAssert.Picture(File.ReadAllBytes(dir.File(TuningFiles.Plot)), "search.png", width: 3 * 420, height: 340); // trial panel + 2 parameters
        Assert.Contains("data:image/png;base64,", File.ReadAllText(dir.File(TuningFiles.Report)));

        // best.json is the best trial's recipe: its values, its epochs, the study's seed.
        var winner = Study.Ranked(trials).First();
        var recipe = TrainingRecipe.Load(dir.File(TuningFiles.BestConfig));
        Assert.Equal(winner.Number, result.Best!.Number);
        Assert.Equal((winner.Params["learning_rate"]!.GetValue<double>(), winner.Params["batch_size"]!.GetValue<int>(), winner.Epochs, 11, "mlp"),
            (recipe.LearningRate, recipe.BatchSize, recipe.Epochs, recipe.Seed, recipe.Model));
    }

    [Fact]
    public void An_interrupted_study_continues_without_running_its_finished_trials_again()
    {
        using var dir = new TempDirectory();
        using var data = Data();
        var settings = new SearchSettings { Method = "halving", Trials = 3, MinEpochs = 1, MaxEpochs = 3 };
        var first = new Trainings();
        NewStudy(dir.Path, settings, first).Run(data);
        var complete = State(dir.Path).Trials;
        Assert.Equal(4, first.Started);

        // As if the process had been killed during trial 3: study.json holds trials 1 and 2 only.
        string path = dir.File(Study.StateFile);
        var state = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        var saved = state["trials"]!.AsArray();
        while (saved.Count > 2) saved.RemoveAt(saved.Count - 1);
        File.WriteAllText(path, state.ToJsonString());

        var resumed = new Trainings();
        var result = NewStudy(dir.Path, settings, resumed).Run(data);
        Assert.Equal(2, resumed.Started);                               // trials 3 and 4 only
        Assert.Equal((2, 2, 4), (result.Trained, result.Reused, result.Finished));
        var after = State(dir.Path).Trials;
        Assert.Equal([1, 2, 3, 4], after.Select(t => t.Number));
        // Trials 1 and 2 are the saved records (their timings too); 3 and 4 trained again to the same accuracies (same seed).
        Assert.Equal(complete.Take(2).Select(t => (t.Seconds, t.ValAccuracy, t.ValLoss)), after.Take(2).Select(t => (t.Seconds, t.ValAccuracy, t.ValLoss)));
        Assert.Equal(complete.Select(t => (t.Config, t.Epochs, t.ValAccuracy)), after.Select(t => (t.Config, t.Epochs, t.ValAccuracy)));

        // A finished study run again trains nothing.
        var again = new Trainings();
        Assert.Equal(0, NewStudy(dir.Path, settings, again).Run(data).Trained);
        Assert.Equal(0, again.Started);
    }

    [Fact]
    public void A_folder_holding_another_search_is_not_continued_with_different_settings()
    {
        using var dir = new TempDirectory();
        using var data = Data();
        NewStudy(dir.Path, new SearchSettings { Method = "random", Trials = 1, MaxEpochs = 1 }, new Trainings()).Run(data);
        string message = Assert.Throws<ArgumentException>(() =>
            NewStudy(dir.Path, new SearchSettings { Method = "random", Trials = 2, MaxEpochs = 1 }, new Trainings()).Run(data)).Message;
        Assert.Contains("holds a search with search settings random trials=1 epochs=1..1 eta=3, not random trials=2", message);
        Assert.Contains("run the same command to continue it, or give another output folder", message);
    }

    [Fact]
    public void No_trial_starts_once_the_budget_is_spent_and_a_running_one_stops_at_the_end_of_its_epoch()
    {
        using var dir = new TempDirectory();
        using var data = Data();
        var clock = new FakeClock();
        var counter = new Trainings(clock);
        var settings = new SearchSettings { Method = "random", Trials = 3, MaxEpochs = 2 };
        // Every epoch takes 10 s on the fake clock; 25 s of budget: trial 1 ends at 20 s, trial 2 starts (20 < 25)
        // and is stopped after its first epoch (30 s), trial 3 never starts.
        var result = NewStudy(dir.Path, settings, counter, TimeSpan.FromSeconds(25), clock).Run(data);

        Assert.True(result.BudgetSpent);
        Assert.False(result.Complete);
        Assert.Equal(2, counter.Started);
        var trials = State(dir.Path).Trials;
        Assert.Equal([(1, Trial.Finished, 2), (2, Trial.Stopped, 1)], trials.Select(t => (t.Number, t.Status, t.EpochsTrained)));
        Assert.Equal(1, result.Finished);
        Assert.Equal(1, result.Best!.Number);                 // a stopped trial is never the best
        Assert.Equal(30, result.Seconds);

        // Continued without a budget, the stopped trial runs again in full and trial 3 runs.
        var resumed = new Trainings();
        var rest = NewStudy(dir.Path, settings, resumed).Run(data);
        Assert.True(rest.Complete);
        Assert.Equal(2, resumed.Started);
        Assert.Equal([(1, Trial.Finished, 2), (2, Trial.Finished, 2), (3, Trial.Finished, 2)], State(dir.Path).Trials.Select(t => (t.Number, t.Status, t.EpochsTrained)));
    }

    [Fact]
    public void A_budget_spent_before_the_first_trial_trains_nothing()
    {
        using var dir = new TempDirectory();
        using var data = Data();
        var counter = new Trainings();
        var result = NewStudy(dir.Path, new SearchSettings { Method = "random", Trials = 2, MaxEpochs = 1 }, counter, TimeSpan.Zero).Run(data);
        Assert.Equal((0, 0, true), (counter.Started, result.Finished, result.BudgetSpent));
        Assert.Null(result.Best);
        Assert.False(File.Exists(dir.File(TuningFiles.BestConfig)));
        Assert.True(File.Exists(dir.File(TuningFiles.Report)));
    }

    [Fact]
    public void A_search_needs_validation_images()
    {
        using var dir = new TempDirectory();
        using var data = TrainingData.FromDataset(FashionMnist.Train.Take(100), null, 0, 1);
        Assert.Contains("validation split must be above 0", Assert.Throws<ArgumentException>(() =>
            NewStudy(dir.Path, new SearchSettings { Method = "random", Trials = 1, MaxEpochs = 1 }, new Trainings()).Run(data)).Message);
    }
}
