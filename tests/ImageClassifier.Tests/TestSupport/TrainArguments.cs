using System.CommandLine;
using ImageClassifier.Cli.Infrastructure;
using ImageClassifier.Recipes;

namespace ImageClassifier.Tests.TestSupport;

/// <summary>The recipe train's options give, parsed as train parses them (recipe, feed and seed options).</summary>
static class TrainArguments
{
    /// <param name="withBudget">Train's options: include --budget and the transfer options, which cross-validation and tuning do not have.</param>
    public static TrainingRecipe Recipe(bool withBudget, params string[] args)
    {
        var recipeOptions = new RecipeOptions();
        var feed = new FeedOptions();
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 42 };
        var transfer = withBudget ? new TransferOptions() : null;
        var command = new RootCommand();
        recipeOptions.AddTo(command, withBudget);
        feed.AddTo(command, streaming: false);
        command.Options.Add(seed);
        transfer?.AddTo(command);
        var parse = command.Parse(args);
        Assert.Empty(parse.Errors);
        return recipeOptions.Recipe(parse, seed, feed, transfer);
    }
}
