using System.CommandLine;
using ImageClassifier.Audit;
using ImageClassifier.Cli.Infrastructure;
using ImageClassifier.Data;

namespace ImageClassifier.Cli.Commands.Bench;

/// <summary>
/// imgclass bench audit: writes the first --images training images of a gray dataset (Fashion-MNIST by default) and a
/// fifth as many test images as PNG folders with planted problems (<see cref="PlantedProblems"/>), audits the folder
/// as imgclass audit does, and prints how much of what was planted the audit found and how long it took.
/// </summary>
public static class BenchAudit
{
    public static Command Create()
    {
        var data = new DataOptions("The dataset to copy (default fashion-mnist; gray images).");
        var runtime = new RuntimeOptions();
        var images = new Option<int>("--images") { Description = "Training images copied (test: a fifth as many).", DefaultValueFactory = _ => 10000 };
        var perKind = new Option<int>("--per-kind") { Description = "Copies and broken files planted of each kind.", DefaultValueFactory = _ => 20 };
        var flip = new Option<double>("--flip") { Description = "Share of training labels flipped.", DefaultValueFactory = _ => 0.03 };
        var folder = new Option<string?>("--folder") { Description = "Where to write the folder (default a temporary folder, deleted after)." };
        var epochs = new Option<int>("--epochs") { Description = "Epochs per fold of the label check.", DefaultValueFactory = _ => new AuditSettings().Epochs };
        var folds = new Option<int>("--folds") { Description = "Folds of the label check.", DefaultValueFactory = _ => new AuditSettings().Folds };

        var command = new Command("audit", "Recall and false alarms of imgclass audit on a copy of a dataset with planted problems, and its time.");
        data.AddTo(command);
        runtime.AddTo(command);
        foreach (var option in new Option[] { images, perKind, flip, folder, epochs, folds }) command.Options.Add(option);
        command.SetRun((parse, terminal) =>
        {
            runtime.Apply(parse);
            bool json = parse.GetValue(runtime.Json);
            var log = json ? terminal.Error : terminal.Out;
            var splits = data.Load(parse, terminal, parse.GetValue(data.Data!) ?? "fashion-mnist");
            int count = parse.GetValue(images);
            if (count < 100) throw new ArgumentException($"--images must be at least 100, not {count}.");
            var train = splits.Train.Take(count);
            var test = (splits.Test ?? splits.Train).Take(Math.Max(count / 5, 20));
            string root = parse.GetValue(folder) ?? Path.Combine(Path.GetTempPath(), $"imgclass-audit-bench-{Guid.NewGuid():N}");
            if (Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any())
                throw new ArgumentException($"--folder {root} is not empty; give a new or empty folder.");
            try
            {
                var planted = PlantedProblems.Write(train, test, root, parse.GetValue(perKind), parse.GetValue(flip), parse.GetValue(runtime.Seed));
                log.WriteLine($"Wrote {root}: {train.Count:N0} training and {test.Count:N0} test images of {train.Name}, {planted.Problems.Count} planted problems");
                var settings = new AuditSettings { Seed = parse.GetValue(runtime.Seed), Epochs = parse.GetValue(epochs), Folds = parse.GetValue(folds) };
                var report = DatasetAudit.Run(root, null, settings, log.WriteLine);
                var score = PlantedProblems.Score(planted, report);
                if (parse.GetValue(folder) is not null) Keep(root, planted, report);
                if (json) terminal.WriteJson(new { images = report.Images, files = report.Files, score, seconds = report.Seconds });
                else
                {
                    terminal.Out.WriteLine($"Duplicates: {score.DuplicateRecall:P1} of {score.PlantedCopies} planted copies found (exact {score.ExactRecall:P1}, near {score.NearRecall:P1}); " +
                        $"{score.UnplantedPairs} of {score.ReportedPairs} reported pairs were not planted ({Rate(score.UnplantedPairs, score.ReportedPairs)})");
                    terminal.Out.WriteLine($"Broken files: {score.BrokenRecall:P1} of {score.PlantedBroken} found, {score.FalseBroken} false alarm(s); wrong extensions: {score.ExtensionRecall:P1} of {score.PlantedExtensions}");
                    terminal.Out.WriteLine($"Labels: precision at K = {score.Flipped} flipped: {score.PrecisionAtK:P1}; {score.FlaggedIssues} flagged, {score.FlaggedPrecision:P1} of them flipped");
                    terminal.Out.WriteLine($"Time: {report.Seconds.Total:0.0}s for {report.Files:N0} files (scan {report.Seconds.Scan:0.0}s, duplicates {report.Seconds.Duplicates:0.0}s, labels {report.Seconds.Labels:0.0}s)");
                }
                return 0;
            }
            finally
            {
                if (parse.GetValue(folder) is null && Directory.Exists(root)) Directory.Delete(root, recursive: true);
            }
        });
        return command;
    }

    // With --folder: the report, what was planted and the held-out probabilities beside the images, to study other thresholds and rankings.
    static void Keep(string root, PlantedFolder planted, AuditReport report)
    {
        AuditJson.Write(Path.Combine(root, "audit.json"), report);
        File.WriteAllLines(Path.Combine(root, "planted.csv"), ["kind,path,original,true_class", .. planted.Problems.Select(p => IO.Csv.Line(p.Kind, p.Path, p.Original ?? "", p.TrueClass ?? ""))]);
        if (report.Labels is { } labels)
            File.WriteAllLines(Path.Combine(root, "probabilities.csv"), ["path,label," + string.Join(",", report.ClassNames.Select(IO.Csv.Field)),
                .. labels.Predictions.Select(p => IO.Csv.Line([report.Scanned[p.File].Path, report.Scanned[p.File].Label.ToString(), .. p.Probabilities.Select(v => IO.Csv.Number(v))]))]);
    }

    static string Rate(int part, int whole) => whole == 0 ? "none reported" : $"{part * 100.0 / whole:0.#}%";
}
