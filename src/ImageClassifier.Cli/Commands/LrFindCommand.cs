using System.CommandLine;
using System.Globalization;
using ImageClassifier.Cli.Infrastructure;
using ImageClassifier.Data.Loading;
using ImageClassifier.Recipes;
using ImageClassifier.Reporting;

namespace ImageClassifier.Cli.Commands;

/// <summary>
/// imgclass lr-find: fastai's learning-rate finder on train's recipe: a short sweep of exponentially growing rates
/// on a fresh model, the loss against the rate drawn to lr-find.png and written to lr-find.json, and a suggested
/// rate to pass to train's --lr. Nothing is trained for keeps.
/// </summary>
public static class LrFindCommand
{
    public static Command Create()
    {
        var data = new DataOptions("The dataset: a name or a path, as for train.", required: true);
        var runtime = new RuntimeOptions();
        var recipeOptions = new RecipeOptions();
        var feed = new FeedOptions();
        var start = new Option<double>("--start") { Description = "The first learning rate of the sweep.", DefaultValueFactory = _ => 1e-7 };
        var end = new Option<double>("--end") { Description = "The last learning rate of the sweep (it stops sooner when the loss diverges).", DefaultValueFactory = _ => 10 };
        var steps = new Option<int>("--steps") { Description = "Training steps (batches) over the sweep.", DefaultValueFactory = _ => 100 };
        var output = new Option<string?>("--output", "-o") { Description = "Folder for lr-find.png and lr-find.json (default out/<dataset>-lr-find)." };

        var command = new Command("lr-find", "Sweep the learning rate over a few hundred batches, plot the loss against it and suggest a rate.");
        data.AddTo(command);
        runtime.AddTo(command);
        recipeOptions.AddTo(command);
        feed.AddTo(command, streaming: true);
        foreach (var option in new Option[] { start, end, steps, output }) command.Options.Add(option);
        command.SetRun((parse, terminal) =>
        {
            bool json = parse.GetValue(runtime.Json);
            var log = json ? terminal.Error : terminal.Out;
            var recipe = recipeOptions.Recipe(parse, runtime.Seed, feed) with { Device = runtime.Apply(parse), ValidationSplit = 0 };
            var (first, last, count) = (parse.GetValue(start), parse.GetValue(end), parse.GetValue(steps));
            if (!(first > 0) || !(last > first)) throw new ArgumentException($"--start and --end must satisfy 0 < start < end, not {first} and {last}.");
            if (count < 10) throw new ArgumentException($"--steps must be at least 10, not {count}.");

            using var loaded = TrainingData.Load(data.Source(parse), data.TrainingData(parse, terminal, feed, log), 0, recipe.Seed);
            log.WriteLine($"Sweeping the learning rate of {recipe.Model} ({recipe.Optimizer}, batch {recipe.BatchSize}) from {first:0.#e0} to {last:0.#e0} over up to {count} steps on {loaded.Name}");
            var sweep = RecipeOptions.WithOptionNames(() => recipe.FindLearningRate(loaded, first, last, count, log));

            string folder = parse.GetValue(output) ?? TrainingRecipe.DefaultOutputFolder(loaded.Name) + "-lr-find";
            Directory.CreateDirectory(folder);
            string png = Path.Combine(folder, "lr-find.png"), file = Path.Combine(folder, "lr-find.json");
            File.WriteAllBytes(png, LearningRatePlot.Render(sweep));
            File.WriteAllText(file, System.Text.Json.JsonSerializer.Serialize(sweep, Json.Options) + "\n");
            if (json) terminal.WriteJson(new { suggestion = sweep.Suggestion, minimum_over_ten = sweep.MinimumOverTen, steps = sweep.Rates.Count, sweep.Diverged, plot = Path.GetFullPath(png), data = Path.GetFullPath(file) });
            else
            {
                terminal.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Suggested learning rate: {sweep.Suggestion:0.###e0} (steepest fall of the loss in the two decades below its lowest point, at most minimum/10); minimum/10: {sweep.MinimumOverTen:0.###e0}; {sweep.Rates.Count} steps{(sweep.Diverged ? ", stopped when the loss diverged" : "")}"));
                terminal.Out.WriteLine($"Plot: {Path.GetFullPath(png)}");
            }
            return 0;
        });
        return command;
    }
}
