using System.CommandLine;
using ImageClassifier.Cli.Infrastructure;
using ImageClassifier.Recipes;
using ImageClassifier.Tests.TestSupport;

namespace ImageClassifier.Tests.Cli;

/// <summary>--config: a JSON recipe (tune's best.json) is where train's options start; options given on the command line win.</summary>
public sealed class TrainConfigOptionTests
{
    // The options train builds its recipe from, parsed as train parses them.
    static TrainingRecipe Recipe(params string[] args) => TrainArguments.Recipe(withBudget: false, args);

    static string Config(TempDirectory dir, string json)
    {
        string path = dir.File("config.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public void A_config_files_values_reach_the_recipe()
    {
        using var dir = new TempDirectory();
        var recipe = Recipe("--config", Config(dir, """
            {"model": "mlp", "epochs": 4, "batch_size": 16, "optimizer": "sgd", "learning_rate": 0.05, "momentum": 0.8,
             "augment": "flip", "normalize": true, "seed": 9, "validation_split": 0.2, "patience": 2}
            """));
        Assert.Equal(("mlp", 4, 16, "sgd", 0.05, 0.8), (recipe.Model, recipe.Epochs, recipe.BatchSize, recipe.Optimizer, recipe.LearningRate, recipe.Momentum));
        Assert.Equal(("flip", true, 9, 0.2, 2), (recipe.Augment, recipe.Normalize, recipe.Seed, recipe.ValidationSplit, recipe.Patience));
        // Settings the file leaves out keep the defaults.
        Assert.Equal((TrainingRecipe.Default.Monitor, TrainingRecipe.Default.ReduceLrFactor), (recipe.Monitor, recipe.ReduceLrFactor));
    }

    [Fact]
    public void Options_given_on_the_command_line_override_the_config()
    {
        using var dir = new TempDirectory();
        string config = Config(dir, """{"model": "mlp", "epochs": 4, "learning_rate": 0.05, "augment": "flip", "seed": 9, "normalize": true}""");
        var recipe = Recipe("--config", config, "--lr", "0.002", "--epochs", "6", "--seed", "1", "--augment", "rotate=0.1");
        Assert.Equal((0.002, 6, 1, "rotate=0.1"), (recipe.LearningRate, recipe.Epochs, recipe.Seed, recipe.Augment));
        Assert.Equal(("mlp", true), (recipe.Model, recipe.Normalize));   // not given: the config's
        // An option given with its default value still wins over the config.
        Assert.Equal(0.001, Recipe("--config", config, "--lr", "0.001").LearningRate);
        // Without --config, the defaults, as before.
        Assert.Equal(TrainingRecipe.Default, Recipe() with { });
    }

    [Fact]
    public void A_recipe_saved_as_json_reads_back_the_same()
    {
        using var dir = new TempDirectory();
        var recipe = new TrainingRecipe { Model = "mlp", LearningRate = 0.0031, Augment = "flip,rotate=0.1", ClassWeights = "balanced", Seed = 3,
            Transfer = new TransferRecipe { Pretrained = "resnet18-imagenet", Stages = new() { FineTuneEpochs = 2 } } };
        recipe.Save(dir.File("recipe.json"));
        var loaded = TrainingRecipe.Load(dir.File("recipe.json"));
        Assert.Equal(recipe with { Transfer = null }, loaded with { Transfer = null });
        Assert.Equal(recipe.Transfer, loaded.Transfer);
    }

    [Theory]
    [InlineData("{\"learnin_rate\": 0.1}", "error: --config {0}: unknown setting 'learnin_rate'; the settings are model, epochs, batch_size")]
    [InlineData("{\"batch_size\": \"many\"}", "error: --config {0}: 'batch_size' must be a whole number, not \"many\".")]
    [InlineData("{\"batch_size\": 32", "error: --config {0}: it is not valid JSON (line 1)")]
    [InlineData("[1]", "error: --config {0}: it must be a JSON object of settings")]
    [InlineData("{\"learning_rate\": -1}", "error: --lr must be positive, not -1.")]
    public void A_bad_config_file_gives_one_error_line(string json, string expected)
    {
        using var dir = new TempDirectory();
        string path = Config(dir, json);
        var run = CliRunner.Run("train", "--config", path, "--data", "fashion-mnist", "--output", dir.File("out"));
        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith(string.Format(expected, path), run.Error);
        Assert.Single(run.Error.Trim().Split('\n'));
    }

    [Fact]
    public void A_missing_config_file_is_named()
    {
        var run = CliRunner.Run("train", "--config", "/no/such/best.json", "--data", "fashion-mnist");
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("error: --config /no/such/best.json: there is no file '/no/such/best.json'.", run.Error.Trim());
    }
}
