using System.CommandLine;
using ImageClassifier.Cli.Infrastructure;
using ImageClassifier.Recipes;

namespace ImageClassifier.Cli.Commands;

/// <summary>
/// imgclass train: the options become a <see cref="TrainingRecipe"/>, which loads the data, splits off validation,
/// trains with the tutorial's callbacks (or the two transfer stages), evaluates on the test split and writes the
/// model, history, summary and report to the output folder. This command only parses and prints.
/// </summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var data = new DataOptions("The dataset: fashion-mnist, mnist, cifar10, or a path (IDX folder, CIFAR-10 folder or .tar.gz, folder of class subfolders).", required: true);
        var runtime = new RuntimeOptions();
        var recipeOptions = new RecipeOptions();
        var transfer = new TransferOptions();
        var feed = new FeedOptions();
        var distributed = new DistributedOptions();
        var noReport = new Option<bool>("--no-report") { Description = "Do not write report.html (the HTML report of the trained model)." };
        var output = new Option<string?>("--output", "-o") { Description = "Output folder for model.imgclass, history.csv/json, summary.json and report.html (default out/<dataset>)." };

        var command = new Command("train", "Train a model on a dataset and write it, its history and a summary to a folder.");
        data.AddTo(command);
        runtime.AddTo(command);
        transfer.AddTo(command);
        recipeOptions.AddTo(command, withBudget: true);
        command.Options.Add(output);
        command.Options.Add(noReport);
        feed.AddTo(command, streaming: true);
        distributed.AddTo(command);

        command.SetRun((parse, terminal) =>
        {
            bool json = parse.GetValue(runtime.Json);
            var log = json ? terminal.Error : terminal.Out; // with --json, stdout holds only the result
            var recipe = distributed.Apply(parse, recipeOptions.Recipe(parse, runtime.Seed, feed, transfer, data.ImageSizeValue(parse)));
            recipe = recipe with
            {
                Report = recipe.Report && !parse.GetValue(noReport),
                Device = runtime.Apply(parse),
                InteractiveProgress = !json && recipe.Distributed is null && ReferenceEquals(log, System.Console.Out) && !System.Console.IsOutputRedirected,
            };
            TrainingResult? result = null;
            int code = DistributedOptions.Run(() =>
            {
                result = RecipeOptions.WithOptionNames(() =>
                    recipe.Run(data.Source(parse), parse.GetValue(output), data.TrainingData(parse, terminal, feed, log), log));
                return 0;
            }, terminal.Error);
            if (result is null || !DistributedOptions.Prints) return code; // in a job, rank 0 alone prints the result
            if (json) terminal.WriteJson(result);
            else
            {
                if (result.TestAccuracy is double accuracy)
                    terminal.Out.WriteLine($"Test: accuracy {accuracy:P2}, loss {result.TestLoss:0.0000} on {result.TestImages:N0} images");
                terminal.Out.WriteLine($"Wrote {result.ModelFile}, history.csv, history.json and summary.json to {result.Output} ({result.Seconds:0}s in all)");
                if (result.Report is not null) terminal.Out.WriteLine($"Report: {result.Report}");
            }
            return 0;
        });
        return command;
    }
}
