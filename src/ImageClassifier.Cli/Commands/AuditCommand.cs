using System.CommandLine;
using ImageClassifier.Audit;
using ImageClassifier.Cli.Infrastructure;

namespace ImageClassifier.Cli.Commands;

/// <summary>
/// imgclass audit DATA: checks an image folder before training (broken and odd files, class balance, exact and near
/// duplicates within and across training and test, likely label errors) and reports as text, JSON (--json) and an
/// HTML page with the images (--html), with a fix list (--fix-list) that train --exclude reads.
/// </summary>
public static class AuditCommand
{
    public static Command Create()
    {
        var data = new Argument<string>("DATA") { Description = "A folder of class subfolders, or one with train/ and test/ (or val/) folders of class subfolders." };
        var test = new Option<string?>("--test") { Description = "A folder of test images (class subfolders) to check against DATA for leakage." };
        var runtime = new RuntimeOptions();
        var model = new Option<string?>("--model", "-m") { Description = "A trained model file (or its folder) whose probabilities rank the labels, instead of k-fold cross-validation." };
        var defaults = new AuditSettings();
        var folds = new Option<int>("--folds", "-k") { Description = "Folds of the cross-validation that ranks labels.", DefaultValueFactory = _ => defaults.Folds };
        var epochs = new Option<int>("--epochs") { Description = "Epochs each fold's model trains.", DefaultValueFactory = _ => defaults.Epochs };
        var architecture = new Option<string>("--architecture") { Description = "The architecture each fold trains.", DefaultValueFactory = _ => defaults.Model };
        var imageSize = new Option<string?>("--image-size") { Description = "The size the fold models see, e.g. 28 or 32x48 (default: the images' most common size, at most 32 pixels a side)." };
        var channels = new Option<int?>("--channels") { Description = "1 or 3 channels for the fold models (default: 1 when most images are gray)." };
        var noLabels = new Option<bool>("--no-labels") { Description = "Skip the label check (no training)." };
        var distance = new Option<int>("--hash-distance") { Description = "Largest pHash Hamming distance (of 64 bits) for near duplicates.", DefaultValueFactory = _ => defaults.HashDistance };
        var correlation = new Option<double>("--min-correlation") { Description = "Smallest thumbnail correlation that confirms a near duplicate.", DefaultValueFactory = _ => defaults.MinCorrelation };
        var features = new Option<bool>("--features") { Description = "Also compare ImageNet ResNet18 features (cosine similarity) for near duplicates: slower, finds more." };
        var similarity = new Option<double>("--min-similarity") { Description = "With --features: the smallest cosine similarity of a near duplicate.", DefaultValueFactory = _ => defaults.MinFeatureSimilarity };
        var html = new Option<string?>("--html") { Description = $"Write the HTML report (the images shown) to this file, or into this folder as {AuditHtml.DefaultFileName}." };
        var jsonFile = new Option<string?>("--json-file") { Description = "Write the JSON report to this file." };
        var fixList = new Option<string?>("--fix-list") { Description = "Write a CSV of what to do per file (path, split, action, reason, suggestion); train --exclude leaves out its exclude rows." };
        var shown = new Option<int>("--show") { Description = "Findings of each kind shown in the text and HTML reports.", DefaultValueFactory = _ => 20 };
        var workers = new Option<int>("--workers") { Description = "Files decoded at once (0: one per core).", DefaultValueFactory = _ => 0 };

        var command = new Command("audit", "Check a dataset before training: broken files, class balance, duplicates and leakage, likely label errors.");
        command.Arguments.Add(data);
        runtime.AddTo(command);
        foreach (var option in new Option[] { test, model, folds, epochs, architecture, imageSize, channels, noLabels, distance, correlation, features, similarity, html, jsonFile, fixList, shown, workers })
            command.Options.Add(option);

        command.SetRun((parse, terminal) =>
        {
            bool json = parse.GetValue(runtime.Json);
            var log = terminal.Error; // progress on stderr: stdout holds the report
            runtime.Apply(parse);
            var settings = new AuditSettings
            {
                Folds = parse.GetValue(folds), Epochs = parse.GetValue(epochs), Model = parse.GetValue(architecture)!,
                ModelFile = ModelPath(parse.GetValue(model)), Labels = !parse.GetValue(noLabels), Seed = parse.GetValue(runtime.Seed),
                HashDistance = parse.GetValue(distance), MinCorrelation = parse.GetValue(correlation),
                Features = parse.GetValue(features), MinFeatureSimilarity = parse.GetValue(similarity),
                Shape = Shape(parse.GetValue(imageSize), parse.GetValue(channels)), Workers = parse.GetValue(workers),
                Shown = parse.GetValue(shown),
            };
            var report = DatasetAudit.Run(parse.GetValue(data)!, parse.GetValue(test), settings, log.WriteLine);

            if (parse.GetValue(html) is { } htmlPath)
            {
                string file = Directory.Exists(htmlPath) || htmlPath.EndsWith('/') ? Path.Combine(htmlPath, AuditHtml.DefaultFileName) : htmlPath;
                log.WriteLine($"HTML report: {AuditHtml.Write(file, report, settings.Shown)}");
            }
            if (parse.GetValue(jsonFile) is { } jsonPath)
            {
                AuditJson.Write(jsonPath, report);
                log.WriteLine($"JSON report: {Path.GetFullPath(jsonPath)}");
            }
            if (parse.GetValue(fixList) is { } fixPath)
            {
                FixList.Write(fixPath, report.Fixes);
                log.WriteLine($"Fix list: {Path.GetFullPath(fixPath)} ({report.Fixes.Count(f => f.Action == FixList.Exclude)} to exclude, " +
                    $"{report.Fixes.Count(f => f.Action == FixList.Review)} to review, {report.Fixes.Count(f => f.Action == FixList.Rename)} to rename)");
            }
            if (json) terminal.Out.WriteLine(AuditJson.Serialize(report));
            else terminal.Out.Write(AuditText.Render(report, settings.Shown));
            return 0;
        });
        return command;
    }

    // A model folder (train's output) holds model.imgclass.
    static string? ModelPath(string? given)
    {
        if (given is null) return null;
        string inFolder = Path.Combine(given, "model" + Serialization.ModelFile.Extension);
        if (Directory.Exists(given)) return File.Exists(inFolder) ? inFolder : throw new ArgumentException($"--model: {given} holds no model{Serialization.ModelFile.Extension}.");
        return File.Exists(given) ? given : throw new ArgumentException($"--model: {given}: no such file or folder.");
    }

    static Imaging.ImageShape? Shape(string? size, int? channels)
    {
        if (channels is not (null or 1 or 3)) throw new ArgumentException($"--channels must be 1 or 3, not {channels}.");
        if (size is null) return channels is null ? null : throw new ArgumentException("--channels needs --image-size with it.");
        var parts = size.ToLowerInvariant().Split('x');
        if (parts.Length is < 1 or > 2 || !parts.All(p => int.TryParse(p, out int v) && v is >= 8 and <= 512))
            throw new ArgumentException($"--image-size must be like 28 or 32x48 (height x width, 8..512), not '{size}'.");
        return new Imaging.ImageShape(channels ?? 3, int.Parse(parts[0]), int.Parse(parts[^1]));
    }
}
