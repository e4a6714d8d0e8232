using System.CommandLine;
using ImageClassifier.Cli.Infrastructure;
using ImageClassifier.Data;
using Spectre.Console;

namespace ImageClassifier.Cli.Commands;

/// <summary>imgclass datasets: list the named datasets, inspect one, or download one.</summary>
public static class DatasetsCommand
{
    public static Command Create()
    {
        var command = new Command("datasets", "List, inspect and download datasets.");
        var list = new Command("list", "List the named datasets and whether each is on this machine.");
        list.SetRun((_, terminal) => List(terminal));
        command.SetRun((_, terminal) => List(terminal));

        var inspect = new Command("inspect", "Show a dataset's shape, class names, class counts and imbalance ratio.");
        var data = new DataOptions(dataDescription: null);
        var source = new Argument<string>("data") { Description = "A dataset name or path." };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON." };
        inspect.Arguments.Add(source);
        data.AddTo(inspect);
        inspect.Options.Add(json);
        inspect.SetRun((parse, terminal) => Inspect(data.Load(parse, terminal, parse.GetValue(source)), parse.GetValue(json), terminal));

        var download = new Command("download", "Download a named dataset into the per-user cache, verifying its checksums.");
        var name = new Argument<string>("name") { Description = "fashion-mnist, mnist or cifar10." };
        download.Arguments.Add(name);
        download.SetRun((parse, terminal) =>
        {
            string folder = DatasetCatalog.DownloadAsync(parse.GetValue(name)!, new DatasetLocator { AllowDownload = true, Progress = new DownloadReporter(terminal.Error) })
                .GetAwaiter().GetResult();
            terminal.Out.WriteLine($"Downloaded to {folder}");
            return 0;
        });

        command.Subcommands.Add(list);
        command.Subcommands.Add(inspect);
        command.Subcommands.Add(download);
        return command;
    }

    static int List(Terminal terminal)
    {
        var table = new Table().AddColumns("Name", "Images", "Shape", "Classes", "On this machine");
        var locator = new DatasetLocator();
        foreach (var entry in DatasetCatalog.Entries)
            table.AddRow(entry.Name, $"{entry.TrainCount:N0} + {entry.TestCount:N0}", entry.Shape.ToString(), entry.ClassNames.Count.ToString(),
                Markup.Escape(DatasetCatalog.FindLocal(entry, locator) ?? $"no (imgclass datasets download {entry.Name})"));
        terminal.Render(table);
        terminal.Out.WriteLine("Any folder of class subfolders of images, IDX files or CIFAR-10 binaries also works as --data PATH.");
        return 0;
    }

    static int Inspect(DatasetSplits splits, bool json, Terminal terminal)
    {
        var train = splits.Train;
        var counts = train.ClassCounts();
        var testCounts = splits.Test?.ClassCounts();
        int smallest = counts.Min(), largest = counts.Max();
        double ratio = smallest == 0 ? double.PositiveInfinity : (double)largest / smallest;
        if (json)
        {
            terminal.WriteJson(new
            {
                name = train.Name, shape = new { channels = train.Shape.Channels, height = train.Shape.Height, width = train.Shape.Width },
                train_images = train.Count, test_images = splits.Test?.Count ?? 0, classes = train.ClassNames,
                train_counts = counts, test_counts = testCounts, imbalance_ratio = ratio,
            });
            return 0;
        }
        terminal.Out.WriteLine($"{train.Name}: {train.Count:N0} training and {splits.Test?.Count ?? 0:N0} test images of {train.Shape} (height x width x channels), {train.ClassCount} classes");
        var table = new Table().AddColumns("#", "Class", "Train", "Test");
        for (int c = 0; c < train.ClassCount; c++)
            table.AddRow(c.ToString(), Markup.Escape(train.ClassNames[c]), $"{counts[c]:N0}", testCounts is null ? "-" : $"{testCounts[c]:N0}");
        terminal.Render(table);
        terminal.Out.WriteLine($"Imbalance ratio (largest / smallest training class): {ratio:0.##}");
        return 0;
    }
}
