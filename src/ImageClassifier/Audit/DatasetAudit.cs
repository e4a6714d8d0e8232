using System.Diagnostics;
using ImageClassifier.Data;
using ImageClassifier.Serialization;

namespace ImageClassifier.Audit;

/// <summary>
/// Audits an image folder before training: broken and odd files, class balance, exact and near duplicates (within
/// and across training and test), and likely label errors. One pass decodes every file (see <see cref="FileScanner"/>);
/// the checks then work on what it kept.
/// </summary>
public static class DatasetAudit
{
    /// <param name="data">A folder of class subfolders, or one with train/ and test/ (or val/) folders of them.</param>
    /// <param name="test">A separate folder of test images (class subfolders), checked for leakage against <paramref name="data"/>.</param>
    /// <param name="log">Progress and notes, one line at a time.</param>
    public static AuditReport Run(string data, string? test, AuditSettings settings, Action<string>? log = null)
    {
        settings.Validate();
        var clock = Stopwatch.StartNew();
        var listing = FolderListing.Of(data, test);
        log?.Invoke($"Auditing {listing.Files.Count:N0} files in {listing.ClassNames.Count} classes: {listing.TrainFolder}" +
            (listing.TestFolder is null ? "" : $" and test {listing.TestFolder}"));

        using var model = settings.ModelFile is { } modelFile && settings.Labels ? ModelFile.Load(modelFile) : null;
        if (model is not null) settings = settings with { Shape = model.InputShape };

        int lastTenth = -1;
        var scan = FileScanner.Scan(listing, settings, (done, all) =>
        {
            int tenth = done * 10 / all;
            if (tenth == lastTenth) return;
            lastTenth = tenth;
            log?.Invoke($"Scanned {done:N0}/{all:N0} files ({done * 100 / all}%)");
        });
        var files = FileChecks.Check(scan);
        var classes = ClassBalance.Of(scan, settings.Folds);
        int images = scan.Files.Count(f => f.Decoded);
        log?.Invoke($"Decoded {images:N0} images ({scan.Files.Count - images} files unusable) in {scan.Seconds:0.0}s; models see {ShapeText.Of(scan.Shape)}");

        var duplicateClock = Stopwatch.StartNew();
        var featurePairs = settings.Features ? FeatureSimilarity.Pairs(scan, settings.MinFeatureSimilarity, log) : null;
        var duplicates = DuplicateFinder.Find(scan, settings, featurePairs);
        log?.Invoke($"Duplicates: {duplicates.Exact.Count} exact group(s), {duplicates.Near.Count} near group(s) " +
            $"({duplicates.HashComparisons:N0} hash comparisons for {duplicates.HashedImages:N0} distinct images, {duplicateClock.Elapsed.TotalSeconds:0.0}s)");
        double duplicateSeconds = duplicateClock.Elapsed.TotalSeconds;

        LabelCheck? labels = null;
        var labelClock = Stopwatch.StartNew();
        if (settings.Labels)
        {
            var (dataset, fileOf) = Dataset(scan);
            if (dataset.ClassCounts().Count(c => c > 0) < 2)
                log?.Invoke("note: no label check: fewer than two classes have images");
            else
            {
                var predictions = model is not null
                    ? HeldOutPredictions.FromModel(model, Path.GetFileName(settings.ModelFile!), dataset)
                    : HeldOutPredictions.CrossValidated(dataset, settings, log);
                labels = Check(scan, dataset, fileOf, predictions);
                log?.Invoke($"Labels: {labels.Issues.Count} likely issue(s); held-out accuracy {predictions.Accuracy:P1} ({labelClock.Elapsed.TotalSeconds:0}s)");
            }
        }

        return new AuditReport
        {
            Data = Path.GetFullPath(data), Test = listing.TestFolder, Files = scan.Files.Count, Images = images,
            ClassNames = scan.ClassNames, InputShape = ShapeText.Of(scan.Shape), Settings = AuditSettingsSummary.Of(settings),
            FileFindings = files, Classes = classes, Duplicates = duplicates, Labels = labels,
            Fixes = FixList.Of(files, duplicates, labels),
            Seconds = new AuditTimings(Math.Round(scan.Seconds, 2), Math.Round(duplicateSeconds, 2), Math.Round(labelClock.Elapsed.TotalSeconds, 2), Math.Round(clock.Elapsed.TotalSeconds, 2)),
            Scanned = scan.Files,
        };
    }

    /// <summary>The decoded images as one dataset at the scan's shape, with each image's file index.</summary>
    static (ImageDataset Data, int[] FileOf) Dataset(ImageScan scan)
    {
        var fileOf = scan.Files.Where(f => f.Decoded).Select(f => f.Index).ToArray();
        int size = scan.Shape.Size;
        var pixels = new byte[(long)fileOf.Length * size];
        for (int i = 0; i < fileOf.Length; i++)
        {
            scan.Inputs[fileOf[i]]!.CopyTo(pixels, (long)i * size);
            scan.Inputs[fileOf[i]] = null; // held once, in the dataset
        }
        var labels = fileOf.Select(f => scan.Files[f].Label).ToArray();
        return (new ImageDataset("audit", scan.Shape, scan.ClassNames, pixels, labels), fileOf);
    }

    static LabelCheck Check(ImageScan scan, ImageDataset dataset, int[] fileOf, LabelPredictions predictions)
    {
        var p = predictions.Probabilities;
        var labels = dataset.Labels;
        var thresholds = ConfidentLearning.Thresholds(labels, p, dataset.ClassCount);
        var ranking = ConfidentLearning.Ranking(labels, p);
        var rankOf = new int[ranking.Length];
        for (int r = 0; r < ranking.Length; r++) rankOf[ranking[r]] = r + 1;
        var issues = ConfidentLearning.Issues(labels, p, dataset.ClassCount).Select(x =>
        {
            var file = scan.Files[fileOf[x.Index]];
            return new LabelIssue(file.Index, file.Path, file.Split, scan.ClassNames[labels[x.Index]], scan.ClassNames[x.Suggested],
                p[x.Index][labels[x.Index]], p[x.Index][x.Suggested], thresholds[labels[x.Index]], ConfidentLearning.Margin(p[x.Index], labels[x.Index]), rankOf[x.Index]);
        }).ToList();
        return new LabelCheck(predictions.Method, predictions.Accuracy,
            scan.ClassNames.Select((name, c) => (name, t: thresholds[c])).Where(x => !double.IsNaN(x.t)).ToDictionary(x => x.name, x => Math.Round(x.t, 4)),
            issues, Math.Round(predictions.Seconds, 2))
        {
            Ranking = ranking.Select(i => fileOf[i]).ToArray(),
            Predictions = fileOf.Select((file, i) => (file, p[i])).ToArray(),
        };
    }
}
