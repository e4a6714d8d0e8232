using System.CommandLine;
using ImageClassifier.Cli.Infrastructure;
using ImageClassifier.Recipes;
using ImageClassifier.Tuning;

namespace ImageClassifier.Cli.Commands;

/// <summary>
/// imgclass tune: a hyperparameter search (<see cref="Study"/>) over a JSON search space, with train's recipe options (or
/// --config) as the base every trial starts from. Random search, successive halving or Hyperband within a wall-clock
/// budget; the output folder holds the study, so running the same command again continues it.
/// </summary>
public static class TuneCommand
{
    public static Command Create()
    {
        var data = new DataOptions("The dataset: a name or a path, as for train. Its training split is split once into training and validation parts (--validation-split, --seed) for every trial.", required: true);
        var runtime = new RuntimeOptions();
        var recipeOptions = new RecipeOptions();
        var feed = new FeedOptions();
        var space = new Option<string>("--space") { Description = "The search space, a JSON file: {\"learning_rate\": {\"kind\": \"log_uniform\", \"low\": 1e-4, \"high\": 1e-2}, \"batch_size\": {\"kind\": \"choice\", \"values\": [32, 64, 128]}}. Kinds: uniform, log_uniform, int, choice; names are best.json's (train's settings).", Required = true };
        var method = new Option<string>("--method") { Description = "random (--trials configurations, each for --max-epochs), halving (successive halving of --trials configurations) or hyperband (Li et al.'s brackets from --min-epochs, --max-epochs and --eta).", DefaultValueFactory = _ => "hyperband" };
        var trials = new Option<int>("--trials", "-n") { Description = "Configurations to draw (random and halving; Hyperband's brackets fix their own).", DefaultValueFactory = _ => 20 };
        var budget = new Option<string?>("--budget") { Description = "Wall-clock time for this run, such as 30m, 90s, 1h or 1h30m: no trial starts once it is spent, and a running one stops at the end of its epoch. Default: none." };
        var minEpochs = new Option<int>("--min-epochs") { Description = "The fewest epochs a configuration trains (the first rung).", DefaultValueFactory = _ => 1 };
        var maxEpochs = new Option<int>("--max-epochs") { Description = "The most epochs a configuration trains (the last rung; Hyperband's R).", DefaultValueFactory = _ => 9 };
        var eta = new Option<int>("--eta") { Description = "Halving rate: each rung keeps the best 1/eta of its configurations and trains them eta times longer.", DefaultValueFactory = _ => 3 };
        var output = new Option<string?>("--output", "-o") { Description = "The study's folder (default out/tune-<dataset>): study.json, trials.csv, trials.json, best.json, search.png, tune.html. A folder holding a study continues it." };
        var verbose = new Option<bool>("--verbose") { Description = "Show each trial's training epochs too." };
        method.AcceptOnlyFromAmong(SearchSettings.Methods);

        var command = new Command("tune", "Search hyperparameters: random search, successive halving or Hyperband over a JSON search space, within a time budget; resumable.");
        data.AddTo(command);
        runtime.AddTo(command);
        command.Options.Add(space);
        command.Options.Add(method);
        command.Options.Add(trials);
        command.Options.Add(budget);
        command.Options.Add(minEpochs);
        command.Options.Add(maxEpochs);
        command.Options.Add(eta);
        command.Options.Add(output);
        command.Options.Add(verbose);
        recipeOptions.AddTo(command);
        recipeOptions.Epochs.Hidden = true; // the search sets each trial's epochs; given anyway, it is an error that says so
        feed.AddTo(command, streaming: true);

        command.SetRun((parse, terminal) =>
        {
            bool json = parse.GetValue(runtime.Json);
            var log = json ? terminal.Error : terminal.Out;
            var settings = new SearchSettings
            {
                Method = parse.GetValue(method)!, Trials = parse.GetValue(trials), MinEpochs = parse.GetValue(minEpochs),
                MaxEpochs = parse.GetValue(maxEpochs), Eta = parse.GetValue(eta),
            };
            if (parse.GetResult(recipeOptions.Epochs) is { Implicit: false })
                throw new ArgumentException("--epochs does not apply to tune: each rung sets its trials' epochs, from --min-epochs to --max-epochs.");
            if (settings.Method == "hyperband" && parse.GetResult(trials) is { Implicit: false })
                throw new ArgumentException("--trials applies to random and halving: Hyperband's brackets fix their own sizes from --min-epochs, --max-epochs and --eta.");
            string? problem = settings switch
            {
                { Trials: < 1 } => $"--trials must be at least 1, not {settings.Trials}.",
                { MinEpochs: < 1 } => $"--min-epochs must be at least 1, not {settings.MinEpochs}.",
                { MaxEpochs: var max, MinEpochs: var min } when max < min => $"--max-epochs ({max}) must not be below --min-epochs ({min}).",
                { Eta: < 2 } => $"--eta must be at least 2, not {settings.Eta}.",
                _ => null,
            };
            if (problem is not null) throw new ArgumentException(problem);
            TimeSpan? limit = parse.GetValue(budget) is string text ? Budget(text) : null;
            var searchSpace = SearchSpace.Load(parse.GetValue(space)!);
            var recipe = recipeOptions.Recipe(parse, runtime.Seed, feed) with { Device = runtime.Apply(parse) };
            string source = data.Source(parse);
            string folder = parse.GetValue(output) ?? TrainingRecipe.DefaultOutputFolder("tune-" + Path.GetFileName(Path.TrimEndingDirectorySeparator(source)));

            var study = new Study(recipe, searchSpace, settings, folder)
            {
                Budget = limit, Log = log, TrialLog = parse.GetValue(verbose) ? log : TextWriter.Null,
            };
            var result = RecipeOptions.WithOptionNames(() => study.Run(source, data.TrainingData(parse, terminal, feed, log)));
            if (json) terminal.WriteJson(result);
            else
            {
                string limited = parse.GetValue(data.Limit) is int n ? $" --limit {n}" : "";
                if (result.BestConfig is not null)
                    terminal.Out.WriteLine($"Best configuration: {result.BestConfig} (imgclass train --config {result.BestConfig} --data {source}{limited} trains it again)");
                terminal.Out.WriteLine($"Report: {result.Report}");
            }
            return 0;
        });
        return command;
    }

    static TimeSpan Budget(string text)
    {
        try { return Durations.Parse(text); }
        catch (ArgumentException) { throw new ArgumentException($"--budget must be like 30m, 90s, 1h or 1h30m, not '{text}'."); }
    }
}
