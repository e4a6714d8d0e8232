using System.Text.Json;
using ImageClassifier.Tests.TestSupport;

namespace ImageClassifier.Tests.Cli;

/// <summary>imgclass tune end to end on 400 Fashion-MNIST images with the mlp, and train --config with its best.json.</summary>
public sealed class TuneCommandTests
{
    const string Space = """
        {
          "learning_rate": { "kind": "log_uniform", "low": 3e-4, "high": 3e-2 },
          "batch_size": { "kind": "choice", "values": [16, 64] },
          "augment": { "kind": "choice", "values": [null, "flip"] }
        }
        """;

    static string WriteSpace(TempDirectory dir, string json = Space)
    {
        string path = dir.File("space.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public void Tune_writes_the_study_and_train_with_its_best_json_reproduces_the_best_trial()
    {
        using var dir = new TempDirectory();
        string[] tune = ["tune", "--data", "fashion-mnist", "--limit", "400", "--space", WriteSpace(dir), "--method", "random", "--trials", "3",
            "--max-epochs", "2", "--model", "mlp", "--seed", "3", "--output", dir.File("study"), "--json"];
        var run = CliRunner.Run(tune);
        Assert.True(run.ExitCode == 0, run.Error);
        using var json = JsonDocument.Parse(run.Out);
        var result = json.RootElement;
        Assert.Equal((3, 3, true), (result.GetProperty("finished").GetInt32(), result.GetProperty("trained").GetInt32(), result.GetProperty("complete").GetBoolean()));
        // Progress on stderr: each trial, its values, its accuracy, the running best.
        Assert.Contains("Trial 3/3 (bracket 1/1, rung 1/1, 2 epochs): learning_rate=", run.Error);
        Assert.Contains("; best 0.", run.Error);
        foreach (string file in new[] { "study.json", "trials.csv", "trials.json", "best.json", "search.png", "tune.html" })
            Assert.True(File.Exists(dir.File("study/" + file)), file);

        double best = result.GetProperty("best").GetProperty("val_accuracy").GetDouble();
        string config = result.GetProperty("best_config").GetString()!;
        var train = CliRunner.Run("train", "--config", config, "--data", "fashion-mnist", "--limit", "400", "--no-report", "--output", dir.File("again"), "--json");
        Assert.True(train.ExitCode == 0, train.Error);
        using var trained = JsonDocument.Parse(train.Out);
        Assert.Equal("mlp", trained.RootElement.GetProperty("model").GetString());
        Assert.Equal(best, trained.RootElement.GetProperty("val_accuracy").GetDouble());   // same seed, split and values: the same number

        // The same command again continues the finished study: nothing trains.
        var again = CliRunner.Run(tune);
        Assert.True(again.ExitCode == 0, again.Error);
        Assert.Contains("Continuing the search in", again.Error);
        Assert.Contains("Trial 1/3 (bracket 1/1, rung 1/1, 2 epochs) done before: val_accuracy", again.Error);
        using var againJson = JsonDocument.Parse(again.Out);
        Assert.Equal((0, 3), (againJson.RootElement.GetProperty("trained").GetInt32(), againJson.RootElement.GetProperty("reused").GetInt32()));

        // Other settings on the same folder: one error line.
        var other = CliRunner.Run([.. tune.Select(a => a == "3" ? "4" : a)]);
        Assert.Equal(1, other.ExitCode);
        Assert.StartsWith("error: ", other.Error);
        Assert.Contains("holds a search with", other.Error);
    }

    [Fact]
    public void The_budget_ends_the_search_with_what_it_found_so_far()
    {
        using var dir = new TempDirectory();
        var run = CliRunner.Run("tune", "--data", "fashion-mnist", "--limit", "400", "--space", WriteSpace(dir), "--method", "random", "--trials", "1000",
            "--max-epochs", "1", "--model", "mlp", "--budget", "3s", "--output", dir.File("study"), "--json");
        Assert.True(run.ExitCode == 0, run.Error);
        using var json = JsonDocument.Parse(run.Out);
        var result = json.RootElement;
        Assert.True(result.GetProperty("budget_spent").GetBoolean());
        int finished = result.GetProperty("finished").GetInt32();
        Assert.InRange(finished, 1, 999);
        // No trial starts after 3 s, and a trial here is one epoch: the run ends within 3 s and the last trial's time.
        var trials = JsonDocument.Parse(File.ReadAllText(dir.File("study/trials.json"))).RootElement;
        double longest = trials.EnumerateArray().Max(t => t.GetProperty("seconds").GetDouble());
        Assert.True(result.GetProperty("seconds").GetDouble() <= 3 + longest + 1, run.Out);
        Assert.Contains("of the budget left", run.Error);
        Assert.Contains("The budget is spent after", run.Error);
    }

    [Theory]
    [InlineData("""{"learning_rate": {"kind": "log_uniform", "low": 0, "high": 1}}""", new string[0], "error: Search space ")]
    [InlineData(Space, new[] { "--trials", "5" }, "error: --trials applies to random and halving")]
    [InlineData(Space, new[] { "--budget", "soon" }, "error: --budget must be like 30m, 90s, 1h or 1h30m, not 'soon'.")]
    [InlineData(Space, new[] { "--min-epochs", "4", "--max-epochs", "3" }, "error: --max-epochs (3) must not be below --min-epochs (4).")]
    [InlineData(Space, new[] { "--eta", "1" }, "error: --eta must be at least 2, not 1.")]
    [InlineData(Space, new[] { "--epochs", "3" }, "error: --epochs does not apply to tune: each rung sets its trials' epochs, from --min-epochs to --max-epochs.")]
    public void Bad_searches_fail_with_one_error_line(string space, string[] extra, string expected)
    {
        using var dir = new TempDirectory();
        var run = CliRunner.Run(["tune", "--data", "fashion-mnist", "--space", WriteSpace(dir, space), "--output", dir.File("study"), .. extra]);
        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith(expected, run.Error);
        Assert.Single(run.Error.Trim().Split('\n'));
        Assert.False(Directory.Exists(dir.File("study")));
    }
}
