using System.CommandLine;
using ImageClassifier.Cli.Infrastructure;
using ImageClassifier.Recipes;

namespace ImageClassifier.Tests.TestSupport;

/// <summary>The recipe train's options give, parsed as train parses them (recipe, feed and seed options).</summary>
static class TrainArguments
{
    /// <param name="withBudget">Include --budget, which train has and cross-validation and tuning do not.</param>
    public static TrainingRecipe Recipe(bool withBudget, params string[] args)
    {
        var recipeOptions = new RecipeOptions();
        var feed = new FeedOptions();
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 42 };
        var command = new RootCommand();
        recipeOptions.AddTo(command, withBudget);
        feed.AddTo(command, streaming: false);
        command.Options.Add(seed);
        var parse = command.Parse(args);
        Assert.Empty(parse.Errors);
        return recipeOptions.Recipe(parse, seed, feed);
    }
}
