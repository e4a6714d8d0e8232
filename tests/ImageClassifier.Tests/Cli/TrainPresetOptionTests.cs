using System.CommandLine;
using ImageClassifier.Cli.Infrastructure;
using ImageClassifier.Recipes;
using ImageClassifier.Tests.TestSupport;

namespace ImageClassifier.Tests.Cli;

/// <summary>--preset, --schedule, --ema, --tta and --budget: how train's options reach the recipe, and their errors.</summary>
public sealed class TrainPresetOptionTests
{
    static TrainingRecipe Recipe(params string[] args) => TrainArguments.Recipe(withBudget: true, args);

    [Fact]
    public void The_fast_preset_is_the_start_and_options_given_change_it()
    {
        var fast = Recipe("--preset", "fast");
        Assert.Equal(TrainingRecipe.Preset("fast") with { Seed = 42 }, fast);
        Assert.Equal(("resnet-fast", "sgd", "one-cycle", "flip", 0.0, "auto"), (fast.Model, fast.Optimizer, fast.Schedule, fast.Tta, fast.ValidationSplit, fast.Precision));

        var changed = Recipe("--preset", "fast", "--epochs", "3", "--lr", "0.1", "--budget", "5m", "--ema", "0.999");
        Assert.Equal((3, 0.1, 300.0, 0.999), (changed.Epochs, changed.LearningRate, changed.BudgetSeconds, changed.Ema));
        Assert.Equal(("resnet-fast", 128), (changed.Model, changed.BatchSize));
        Assert.Equal("float32", Recipe("--preset", "fast", "--precision", "float32").Precision);
        Assert.Equal("float32", Recipe().Precision);
    }

    [Fact]
    public void Schedule_and_tta_reach_the_recipe()
    {
        var recipe = Recipe("--schedule", "cosine:0.1", "--tta");
        Assert.Equal(("cosine:0.1", "flip"), (recipe.Schedule, recipe.Tta));
        Assert.Equal("flip,crops", Recipe("--tta", "flip,crops").Tta);
        Assert.Null(Recipe().Tta);
    }

    [Theory]
    [InlineData("--preset", "slow", "--preset must be one of tutorial, fast, not 'slow'.")]
    [InlineData("--schedule", "step", "--schedule: unknown schedule 'step'")]
    [InlineData("--ema", "1.5", "--ema must be a decay between 0 and 1")]
    [InlineData("--budget", "five minutes", "--budget must be a positive time such as 5m")]
    [InlineData("--budget", "0s", "--budget must be a positive time such as 5m")]
    [InlineData("--tta", "sideways", "Unknown test-time augmentation 'sideways'")]
    public void Bad_values_name_the_option(string option, string value, string message) =>
        Assert.Contains(message, Assert.Throws<ArgumentException>(() => Recipe(option, value)).Message);

    [Theory]
    [InlineData("train", "--data", "fashion-mnist")]
    [InlineData("bench", "--data", "fashion-mnist")]
    [InlineData("predict", "model.imgclass", "image.png")]
    public void An_unknown_precision_is_refused_with_the_known_ones(params string[] command)
    {
        var result = CliRunner.Run([.. command, "--precision", "half"]);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("'half'", result.Error);
        Assert.Contains("bfloat16", result.Error);
    }

    [Fact]
    public void Config_and_preset_together_are_refused()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("c.json"), "{}");
        Assert.Contains("--config and --preset", Assert.Throws<ArgumentException>(() => Recipe("--config", dir.File("c.json"), "--preset", "fast")).Message);
    }

    [Fact]
    public void Lr_find_writes_its_plot_and_json_and_suggests_a_rate()
    {
        using var dir = new TempDirectory();
        var result = CliRunner.Run("lr-find", "--data", "fashion-mnist", "--limit", "600", "--steps", "30", "--batch-size", "16", "--output", dir.File("lr"));
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("Suggested learning rate:", result.Out);
        Assert.True(new FileInfo(dir.File("lr/lr-find.png")).Length > 10_000, "the plot is missing or empty");
        var sweep = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(dir.File("lr/lr-find.json")))!;
        Assert.InRange(sweep["rates"]!.AsArray().Count, 10, 30); // fewer when the loss diverged before the end
        Assert.InRange(sweep["suggestion"]!.GetValue<double>(), 1e-7, 10);
    }

    [Fact]
    public void Lr_find_refuses_a_range_the_wrong_way_round()
    {
        var result = CliRunner.Run("lr-find", "--data", "fashion-mnist", "--start", "1", "--end", "0.1");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--start and --end must satisfy 0 < start < end", result.Error);
    }
}
