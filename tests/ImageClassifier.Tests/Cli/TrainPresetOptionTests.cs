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
        Assert.Equal(("resnet-fast", "sgd", "one-cycle", "flip,shift", 0.0, "auto"), (fast.Model, fast.Optimizer, fast.Schedule, fast.Tta, fast.ValidationSplit, fast.Precision));

        var changed = Recipe("--preset", "fast", "--epochs", "3", "--lr", "0.1", "--budget", "5m", "--ema", "0.999");
        Assert.Equal((3, 0.1, 300.0, 0.999), (changed.Epochs, changed.LearningRate, changed.BudgetSeconds, changed.Ema));
        Assert.Equal(("resnet-fast", 128), (changed.Model, changed.BatchSize));
        Assert.Equal("float32", Recipe("--preset", "fast", "--precision", "float32").Precision);
    }

    [Fact]
    public void A_budget_of_eight_minutes_or_more_gives_the_fast_preset_the_wider_network_unless_a_model_is_named()
    {
        Assert.Equal("resnet-fast", Recipe("--preset", "fast", "--budget", "5m").Model);
        var tenMinutes = Recipe("--preset", "fast", "--budget", "10m");
        Assert.Equal(("resnet-fast-wide", 600.0), (tenMinutes.Model, tenMinutes.BudgetSeconds));
        Assert.Equal("resnet-fast", Recipe("--preset", "fast", "--budget", "10m", "--model", "resnet-fast").Model);
        Assert.Equal(TrainingRecipe.Preset("fast", TimeSpan.FromMinutes(10)) with { Seed = 42 }, tenMinutes);

        // The library's equivalent: only fast changes its network, and only from the threshold on.
        Assert.Equal("resnet-fast-wide", TrainingRecipe.Preset("fast", TrainingRecipe.WideFastBudget).Model);
        Assert.Equal("resnet-fast", TrainingRecipe.Preset("fast", TrainingRecipe.WideFastBudget - TimeSpan.FromSeconds(1)).Model);
        Assert.Equal(TrainingRecipe.Preset("tutorial") with { BudgetSeconds = 3600 }, TrainingRecipe.Preset("tutorial", TimeSpan.FromHours(1)));
    }

    [Fact]
    public void Precision_defaults_to_float32_from_scratch_and_auto_with_a_pretrained_backbone()
    {
        Assert.Equal((null, "float32"), (Recipe().Precision, Recipe().PrecisionInUse()));
        Assert.Equal("auto", Recipe("--pretrained", "resnet18-imagenet").PrecisionInUse());
        Assert.Equal("float32", Recipe("--pretrained", "resnet18-imagenet", "--precision", "float32").PrecisionInUse());
        Assert.Equal("bfloat16", Recipe("--precision", "bfloat16").PrecisionInUse());
    }

    [Fact]
    public void The_fine_tune_preset_names_its_backbone_and_stages_and_options_given_change_only_themselves()
    {
        var preset = Recipe("--preset", "fine-tune");
        Assert.Equal(TrainingRecipe.Preset("fine-tune") with { Seed = 42 }, preset);
        var transfer = preset.Transfer!;
        Assert.Equal(("resnet18-imagenet", 160, 160), (transfer.Pretrained, transfer.InputSize().Height, transfer.InputSize().Width));
        Assert.Equal((3, 10, 5e-4, 0.5, true, (string?)null), (transfer.Stages.FreezeEpochs, transfer.Stages.FineTuneEpochs,
            transfer.Stages.FineTuneLearningRate, transfer.Stages.DiscriminativeFactor, transfer.Stages.TrainBatchNorm, transfer.Stages.FineTuneAt));
        Assert.Equal(("one-cycle", 0.1, "flip", "auto"), (preset.Schedule, preset.LabelSmoothing, preset.Tta, preset.PrecisionInUse()));

        var changed = Recipe("--preset", "fine-tune", "--fine-tune-epochs", "4", "--fine-tune-at", "layer3", "--head-dropout", "0.5");
        Assert.Equal(transfer with { HeadDropout = 0.5, Stages = transfer.Stages with { FineTuneEpochs = 4, FineTuneAt = "layer3" } }, changed.Transfer);
        Assert.False(Recipe("--preset", "fine-tune", "--no-feature-cache").Transfer!.Stages.CacheFeatures);

        // Weights named on the command line replace the preset's backbone, whichever kind.
        var own = Recipe("--preset", "fine-tune", "--weights", "mine.safetensors").Transfer!;
        Assert.Equal(((string?)null, "mine.safetensors", 10), (own.Pretrained, own.WeightsFile, own.Stages.FineTuneEpochs));
        Assert.Null(Recipe().Transfer);
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
    [InlineData("--preset", "slow", "--preset must be one of tutorial, fast, fine-tune, not 'slow'.")]
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
