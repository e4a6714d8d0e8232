using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.Json.Nodes;
using ImageClassifier.Cli.Infrastructure;
using ImageClassifier.Recipes;
using ImageClassifier.Training.Checkpoints;

namespace ImageClassifier.Cli.Commands;

/// <summary>
/// imgclass train: the options become a <see cref="TrainingRecipe"/>, which loads the data, splits off validation,
/// trains with the tutorial's callbacks (or the two transfer stages), evaluates on the test split and writes the
/// model, history, summary and report to the output folder. This command only parses and prints. Training checkpoints
/// as it goes; SIGINT or SIGTERM stops it after the batch with a checkpoint, and --resume DIR continues such a run with
/// the options it was started with (stored in its checkpoints as the recipe's JSON and this command line).
/// </summary>
public static class TrainCommand
{
    // Options that --resume takes besides the folder: how to run, not what to train.
    static readonly string[] AllowedWithResume = ["--resume", "--threads", "--device", "--json"];
    // Options whose value is a path: stored absolute, so that --resume works from any working directory.
    static readonly string[] PathOptions = ["--data", "-d", "--output", "-o", "--data-dir", "--config"];

    public static Command Create()
    {
        var data = new DataOptions("The dataset: fashion-mnist, mnist, cifar10, or a path (IDX folder, CIFAR-10 folder or .tar.gz, folder of class subfolders).");
        var runtime = new RuntimeOptions();
        var recipeOptions = new RecipeOptions();
        var transfer = new TransferOptions();
        var feed = new FeedOptions();
        var distributed = new DistributedOptions();
        var noReport = new Option<bool>("--no-report") { Description = "Do not write report.html (the HTML report of the trained model)." };
        var output = new Option<string?>("--output", "-o") { Description = "Output folder for model.imgclass, history.csv/json, summary.json and report.html (default out/<dataset>). Locked while training: a second training into it fails." };
        var resume = new Option<string?>("--resume") { Description = "Continue the interrupted run in this output folder from its latest checkpoint, with the options it was started with (give nothing else but --threads, --device or --json)." };
        var checkpointEvery = new Option<int>("--checkpoint-every") { Description = "Also write a training checkpoint every N batches (one is written at the end of every epoch; the newest two are kept in <output>/checkpoints)." };
        var onNan = new Option<string>("--on-nan") { Description = $"When the loss becomes NaN or infinite: stop (fail, naming the epoch and batch) or rollback (to the last checkpoint with the learning rate halved, at most {TrainingRecipe.MaxNanRollbacks} times).", DefaultValueFactory = _ => "stop" };
        onNan.AcceptOnlyFromAmong(TrainingRecipe.NanPolicies);

        var command = new Command("train", "Train a model on a dataset and write it, its history and a summary to a folder.");
        data.AddTo(command);
        runtime.AddTo(command);
        transfer.AddTo(command);
        recipeOptions.AddTo(command, withBudget: true);
        command.Options.Add(output);
        command.Options.Add(noReport);
        command.Options.Add(resume);
        command.Options.Add(checkpointEvery);
        command.Options.Add(onNan);
        feed.AddTo(command, streaming: true);
        distributed.AddTo(command);

        int Train(ParseResult parse, Terminal terminal, ResumableRun? resumed)
        {
            bool json = parse.GetValue(runtime.Json);
            var log = json ? terminal.Error : terminal.Out; // with --json, stdout holds only the result
            if (parse.GetValue(checkpointEvery) is < 0 and var every) throw new ArgumentException($"--checkpoint-every must not be negative ({every}).");
            // A resumed run's recipe comes from its checkpoint; a distributed job's settings from its stored command line.
            var recipe = distributed.Apply(parse, resumed?.Recipe ?? recipeOptions.Recipe(parse, runtime.Seed, feed, transfer, data.ImageSizeValue(parse))) with
            {
                CheckpointEvery = parse.GetValue(checkpointEvery),
                OnNan = parse.GetValue(onNan)!,
                Invocation = new JsonObject { ["arguments"] = new JsonArray(StoredArguments(parse).Select(a => (JsonNode)a).ToArray()) },
            };
            using var signals = StopSignals.Register(terminal.Error);
            recipe = recipe with
            {
                Report = recipe.Report && !parse.GetValue(noReport),
                Device = runtime.Apply(parse),
                InteractiveProgress = !json && recipe.Distributed is null && ReferenceEquals(log, System.Console.Out) && !System.Console.IsOutputRedirected,
                Stop = signals.Token,
            };
            string source = resumed?.Source ?? data.Source(parse);
            TrainingResult? result = null;
            int code = DistributedOptions.Run(() =>
            {
                try
                {
                    result = RecipeOptions.WithOptionNames(() =>
                        recipe.Run(source, resumed?.Folder ?? parse.GetValue(output), data.TrainingData(parse, terminal, feed, log), log));
                    return 0;
                }
                catch (TrainingInterruptedException e)
                {
                    terminal.Error.WriteLine(e.Message);
                    terminal.Error.WriteLine($"Resume with: imgclass train --resume {e.Folder}");
                    return StopSignals.ExitCode;
                }
                catch (OperationCanceledException) when (signals.Token.IsCancellationRequested)
                {
                    terminal.Error.WriteLine("Stopped before training began; nothing was trained.");
                    return StopSignals.ExitCode;
                }
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
        }

        // --resume DIR: the stored command line, with this one's --threads, --device and --json in place of its own.
        int Resume(ParseResult parse, Terminal terminal, string folder)
        {
            var given = parse.CommandResult.Children.OfType<OptionResult>().Where(o => !o.Implicit).Select(o => o.Option).ToList();
            if (given.FirstOrDefault(o => !AllowedWithResume.Contains(o.Name)) is { } extra)
                throw new ArgumentException($"--resume continues a run with the options it was started with; leave out {extra.Name}.");
            var run = TrainingRecipe.ReadRun(folder, damaged => terminal.Error.WriteLine($"warning: {damaged}; using the one before."));
            var stored = run.Invocation?["arguments"]?.AsArray().Select(a => a!.GetValue<string>()).ToList()
                ?? throw new ArgumentException($"The checkpoints in '{run.Folder}' were written by the library, not by imgclass train: resume them with TrainingRecipe.ReadRun.");
            var overriding = given.Where(o => o.Name != "--resume").ToList();
            var arguments = WithoutOptions(stored, overriding.SelectMany(o => o.Aliases.Append(o.Name)).ToHashSet());
            foreach (var option in overriding)
            {
                arguments.Add(option.Name);
                if (option.Name != "--json") arguments.Add(parse.GetResult(option)!.Tokens.Single().Value);
            }
            var again = command.Parse(arguments);
            if (again.Errors.Count > 0) throw new ArgumentException($"The stored command line of '{run.Folder}' no longer parses: {again.Errors[0].Message}");
            return Train(again, terminal, run);
        }

        command.SetRun((parse, terminal) =>
            parse.GetValue(resume) is string folder ? Resume(parse, terminal, folder)
            : parse.GetResult(data.Data!) is null ? throw new ArgumentException("Give a dataset with --data (or continue a run with --resume DIR).")
            : Train(parse, terminal, null));
        return command;
    }

    /// <summary>This command line as tokens after "train", with path values made absolute.</summary>
    static List<string> StoredArguments(ParseResult parse)
    {
        var tokens = parse.Tokens.SkipWhile(t => t.Type == TokenType.Command).Select(t => t.Value).ToList();
        for (int i = 1; i < tokens.Count; i++)
            if (PathOptions.Contains(tokens[i - 1]) && (tokens[i - 1] is "--output" or "-o" || File.Exists(tokens[i]) || Directory.Exists(tokens[i])))
                tokens[i] = Path.GetFullPath(tokens[i]);
        return tokens;
    }

    static List<string> WithoutOptions(List<string> arguments, HashSet<string> names)
    {
        var kept = new List<string>();
        for (int i = 0; i < arguments.Count; i++)
        {
            if (!names.Contains(arguments[i])) { kept.Add(arguments[i]); continue; }
            if (arguments[i] != "--json" && i + 1 < arguments.Count) i++; // its value
        }
        return kept;
    }
}
