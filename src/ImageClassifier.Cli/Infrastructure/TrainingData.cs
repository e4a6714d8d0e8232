using System.CommandLine;
using ImageClassifier.Data;
using ImageClassifier.Data.Loading;
using ImageClassifier.Imaging;

namespace ImageClassifier.Cli.Infrastructure;

/// <summary>
/// The training batches (in memory, or streamed from a folder with --stream), the stratified validation
/// part and the test split, as train needs them.
/// </summary>
public sealed class TrainingData : IDisposable
{
    const int StatisticsSample = 2000;

    TrainingData(IBatchSource train, ImageDataset? validation, ImageDataset? test, string name, Func<ImageDataset> statistics)
    {
        Train = train;
        Validation = validation;
        Test = test;
        Name = name;
        this.statistics = statistics;
    }

    readonly Func<ImageDataset> statistics;

    public IBatchSource Train { get; }
    public ImageDataset? Validation { get; }
    public ImageDataset? Test { get; }
    /// <summary>The dataset's name before splitting (for the output folder).</summary>
    public string Name { get; }
    public bool Streamed => Train is StreamingImageFolderSource;

    /// <summary>Images to compute normalisation statistics from: the training set, or a seeded sample of a streamed one.</summary>
    public ImageDataset StatisticsImages() => statistics();

    /// <param name="shape">The size folders are read at (a pretrained model's input); null: the options' or the default.</param>
    public static TrainingData Load(ParseResult parse, Terminal terminal, DataOptions data, FeedOptions feed, double validationFraction, int seed, TextWriter log,
        ImageShape? shape = null)
    {
        var streaming = feed.Streaming(parse, parse.GetValue(data.Strict));
        if (!parse.GetValue(feed.Stream))
        {
            var splits = data.Load(parse, terminal, shape: shape);
            var (train, validation) = validationFraction > 0 ? Splits.StratifiedSplit(splits.Train, validationFraction, seed) : (splits.Train, null);
            train.EnsureTrainable();
            return new TrainingData(new InMemoryBatchSource(train), validation, splits.Test, splits.Train.Name, () => train);
        }
        return LoadStreamed(parse, data, streaming, validationFraction, seed, log, terminal.Error, shape);
    }

    static TrainingData LoadStreamed(ParseResult parse, DataOptions data, StreamingOptions streaming, double validationFraction, int seed,
        TextWriter log, TextWriter warnings, ImageShape? shape)
    {
        string folder = parse.GetValue(data.Data!)!;
        if (!ImageFolderReader.LooksLikeImageFolder(folder))
            throw new ArgumentException($"--stream reads folders of class subfolders of images, and '{folder}' is not one; " +
                "named datasets, IDX and CIFAR files are read into memory (leave out --stream).");
        var (all, test, testSkipped) = StreamingImageFolderSource.OpenSplits(folder, shape ?? data.FolderShape(parse), streaming);
        var listed = all.Skipped.Concat(testSkipped).ToList();
        if (listed.Count > 0) Warn(warnings, $"skipped {listed.Count} file(s) that are not images", listed);
        var source = parse.GetValue(data.Limit) is int limit ? all.Subset(Enumerable.Range(0, Math.Min(limit, all.Count)).ToArray()) : all;

        StreamingImageFolderSource train = source;
        ImageDataset? validation = null;
        if (validationFraction > 0)
        {
            var (trainIndices, validationIndices) = Splits.StratifiedIndices(source.Labels, source.ClassNames.Count, validationFraction, seed);
            train = source.Subset(trainIndices, source.Name + ":train");
            validation = source.Load(validationIndices, source.Name + ":validation"); // small: held in memory
        }
        if (train.Labels.Distinct().Count() < 2)
            throw new DatasetException($"Dataset '{train.Name}' has images of fewer than two classes; a classifier needs at least two.");
        train.FileSkipped += file => warnings.WriteLine($"warning: skipped {file.Path} (it became unreadable during training): {file.Reason}");
        train.CacheFailed += message => warnings.WriteLine($"warning: {message}; training goes on without caching");
        log.WriteLine($"Streaming {train.Count:N0} training images from {folder} with {streaming.WorkerCount} worker(s), " +
            $"{streaming.PrefetchPerWorker} batch(es) ahead each{(streaming.Cache is null ? "" : $", {streaming.Cache}")}");
        var sampleSource = train;
        return new TrainingData(train, validation, test, all.Name, () =>
        {
            var indices = Enumerable.Range(0, sampleSource.Count).ToArray();
            new Random(seed).Shuffle(indices);
            return sampleSource.Load(indices.Take(StatisticsSample).Order().ToArray());
        });
    }

    static void Warn(TextWriter error, string what, IReadOnlyList<SkippedFile> files)
    {
        error.WriteLine($"warning: {what}:");
        foreach (var file in files.Take(20)) error.WriteLine($"  {file.Path}: {file.Reason}");
        if (files.Count > 20) error.WriteLine($"  ... and {files.Count - 20} more");
    }

    public void Dispose() => (Train as IDisposable)?.Dispose();
}
