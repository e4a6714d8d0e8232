namespace ImageClassifier.Data.Loading;

/// <summary>How <see cref="TrainingData.Load"/> finds and reads a dataset.</summary>
public sealed record TrainingDataOptions
{
    /// <summary>Where named datasets are looked for, and how folders of images are read (size, channels, strictness).</summary>
    public DatasetLocator Locator { get; init; } = new();

    /// <summary>Use only the first N images of the training split.</summary>
    public int? Limit { get; init; }

    /// <summary>Stream a folder's training images from disk with these settings instead of reading them into memory.</summary>
    public StreamingOptions? Streaming { get; init; }

    /// <summary>Where warnings go: files skipped, unreadable during training, a failing cache.</summary>
    public TextWriter Warnings { get; init; } = TextWriter.Null;

    /// <summary>Where notes on what was loaded go (the streaming set-up).</summary>
    public TextWriter Log { get; init; } = TextWriter.Null;
}

/// <summary>
/// What training needs from a dataset: the training batches (in memory, or streamed from a folder),
/// the stratified validation part held out of them, and the test split when the dataset has one.
/// </summary>
public sealed class TrainingData : IDisposable
{
    const int StatisticsSample = 2000;
    readonly Lazy<ImageDataset> statistics;

    public TrainingData(IBatchSource train, ImageDataset? validation, ImageDataset? test, string name, Func<ImageDataset> statistics)
    {
        Train = train;
        Validation = validation;
        Test = test;
        Name = name;
        this.statistics = new Lazy<ImageDataset>(statistics); // a streamed sample is read from disk once, however often it is asked for
    }

    /// <summary>An in-memory dataset split into training and validation parts (none when the fraction is 0).</summary>
    public static TrainingData FromDataset(ImageDataset data, ImageDataset? test, double validationFraction, int seed, string? name = null)
    {
        var (train, validation) = validationFraction > 0 ? Splits.StratifiedSplit(data, validationFraction, seed) : (data, null);
        train.EnsureTrainable();
        return new TrainingData(new InMemoryBatchSource(train), validation, test, name ?? data.Name, () => train);
    }

    public IBatchSource Train { get; }
    public ImageDataset? Validation { get; }
    public ImageDataset? Test { get; }
    /// <summary>The dataset's name before splitting (it names the output folder).</summary>
    public string Name { get; }
    public bool Streamed => Train is StreamingImageFolderSource;

    /// <summary>Images to compute normalisation statistics from: the training set, or a seeded sample of a streamed one.</summary>
    public ImageDataset StatisticsImages() => statistics.Value;

    /// <summary>
    /// Loads <paramref name="source"/> (a dataset name or a path, as <see cref="DatasetCatalog.Load(string, DatasetLocator)"/>
    /// takes it) and holds out a stratified <paramref name="validationFraction"/> of its training split.
    /// </summary>
    public static TrainingData Load(string source, TrainingDataOptions options, double validationFraction, int seed)
    {
        if (validationFraction is < 0 or >= 1 || double.IsNaN(validationFraction))
            throw new ArgumentException($"The validation fraction must be in [0, 1), not {validationFraction}.");
        if (options.Limit is < 1) throw new ArgumentException($"The image limit must be at least 1, not {options.Limit}.");
        if (options.Streaming is { } streaming) return LoadStreamed(source, options, streaming, validationFraction, seed);
        var splits = DatasetCatalog.Load(source, options.Locator);
        splits.Train.EnsureEveryClassHasImages();
        var all = options.Limit is int limit ? splits.Train.Take(limit) : splits.Train;
        return FromDataset(all, splits.Test, validationFraction, seed, splits.Train.Name);
    }

    static TrainingData LoadStreamed(string folder, TrainingDataOptions options, StreamingOptions streaming, double validationFraction, int seed)
    {
        if (!ImageFolderReader.LooksLikeImageFolder(folder))
            throw new DatasetException($"Streaming reads folders of class subfolders of images, and '{folder}' is not one; " +
                "named datasets, IDX and CIFAR files are read into memory.");
        var folderOptions = options.Locator.ImageFolder;
        var (all, test, testSkipped) = StreamingImageFolderSource.OpenSplits(folder, folderOptions.Shape, streaming with { Strict = streaming.Strict || folderOptions.Strict, Exclude = streaming.Exclude ?? folderOptions.Exclude });
        var listed = all.Skipped.Concat(testSkipped).ToList();
        if (listed.Count > 0) options.Locator.Skipped?.Invoke(listed);
        var counts = new int[all.ClassNames.Count];
        foreach (int label in all.Labels) counts[label]++;
        ImageDataset.EnsureEveryClassHasImages(all.Name, all.ClassNames, counts);
        var source = options.Limit is int limit ? all.Subset(Enumerable.Range(0, Math.Min(limit, all.Count)).ToArray()) : all;

        var train = source;
        ImageDataset? validation = null;
        if (validationFraction > 0)
        {
            var (trainIndices, validationIndices) = Splits.StratifiedIndices(source.Labels, source.ClassNames.Count, validationFraction, seed);
            train = source.Subset(trainIndices, source.Name + ":train");
            validation = source.Load(validationIndices, source.Name + ":validation"); // small: held in memory
        }
        if (train.Labels.Distinct().Count() < 2)
            throw new DatasetException($"Dataset '{train.Name}' has images of fewer than two classes; a classifier needs at least two.");
        train.FileSkipped += file => options.Warnings.WriteLine($"warning: skipped {file.Path} (it became unreadable during training): {file.Reason}");
        train.CacheFailed += message => options.Warnings.WriteLine($"warning: {message}; training goes on without caching");
        options.Log.WriteLine($"Streaming {train.Count:N0} training images from {folder} with {streaming.WorkerCount} worker(s), " +
            $"{streaming.PrefetchPerWorker} batch(es) ahead each{(streaming.Cache is null ? "" : $", {streaming.Cache}")}");
        return new TrainingData(train, validation, test, all.Name, () =>
        {
            var indices = Enumerable.Range(0, train.Count).ToArray();
            new Random(seed).Shuffle(indices);
            return train.Load(indices.Take(StatisticsSample).Order().ToArray());
        });
    }

    public void Dispose() => (Train as IDisposable)?.Dispose();
}
