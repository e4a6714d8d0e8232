using ImageClassifier.Imaging;
using static TorchSharp.torch;

namespace ImageClassifier.Data.Loading;

/// <summary>
/// A folder of images (one subfolder per class) streamed from disk, for datasets that do not fit in memory:
/// each epoch, worker threads decode and resize the files in the sampler's order into pooled buffers, a few
/// batches ahead of training (<see cref="StreamingOptions"/>), optionally keeping decoded images in a cache.
/// Batches are the same, in the same order, as <see cref="InMemoryBatchSource"/> gives for the same images,
/// whatever the number of workers. A file that cannot be decoded mid-epoch (deleted, corrupted) is left out
/// of its batch and reported through <see cref="FileSkipped"/> and <see cref="Skipped"/>, or, when strict,
/// ends the epoch with its error.
/// </summary>
public sealed class StreamingImageFolderSource : IBatchSource
{
    readonly ImageFile[] files;
    readonly int[] labels;
    readonly List<SkippedFile> skipped = [];
    readonly BufferPool pool = new();
    bool cacheFailureReported;

    public StreamingImageFolderSource(string name, IReadOnlyList<ImageFile> files, IReadOnlyList<string> classNames, ImageShape shape,
        StreamingOptions? options = null)
    {
        PlanarPixels.CheckShape(shape);
        Options = options ?? new StreamingOptions();
        Options.Validate();
        foreach (var file in files)
            if (file.Label < 0 || file.Label >= classNames.Count)
                throw new DatasetException($"Label {file.Label} of {file.Path} is outside the {classNames.Count} classes of '{name}'.");
        Name = name;
        Shape = shape;
        ClassNames = classNames;
        this.files = [.. files];
        labels = this.files.Select(f => f.Label).ToArray();
    }

    /// <summary>
    /// The image files under <paramref name="folder"/>'s class subfolders (sorted by path, as
    /// <see cref="ImageFolderReader"/> reads them). Files that are not images by their first bytes are left out
    /// now and listed in <see cref="Skipped"/>. <paramref name="classNames"/> (e.g. the training split's) fixes
    /// the labels; by default the subfolder names are the classes.
    /// </summary>
    public static StreamingImageFolderSource Open(string folder, ImageShape shape, StreamingOptions? options = null,
        IReadOnlyList<string>? classNames = null, string? name = null)
    {
        var (found, classes, notImages) = ImageFileListing.List(folder, classNames, options?.WorkerCount ?? 2, options?.Exclude);
        var source = new StreamingImageFolderSource(name ?? ImageFolderLayout.NameOf(folder), found, classes, shape, options);
        source.skipped.AddRange(notImages);
        return source;
    }

    /// <summary>
    /// Streams a folder's training images (its train/ folder when it has one) and reads its test folder
    /// (test/, val/, ... as <see cref="ImageFolderReader.ReadSplits"/> finds them) into memory, with the same classes.
    /// </summary>
    public static (StreamingImageFolderSource Train, ImageDataset? Test, IReadOnlyList<SkippedFile> TestSkipped) OpenSplits(
        string root, ImageShape shape, StreamingOptions? options = null)
    {
        ImageFolderLayout.EnsureFolder(root);
        string rootName = ImageFolderLayout.NameOf(root);
        if (ImageFolderLayout.TrainFolder(root) is not { } trainFolder)
            return (Open(root, shape, options), null, []);
        var train = Open(trainFolder, shape, options, name: $"{rootName}/{Path.GetFileName(trainFolder)}");
        if (ImageFolderLayout.TestFolder(root) is not { } testFolder) return (train, null, []);
        var testSource = Open(testFolder, shape, options, train.ClassNames, $"{rootName}/{Path.GetFileName(testFolder)}");
        var test = testSource.Load();
        return (train, test, testSource.Skipped);
    }

    public string Name { get; }
    public ImageShape Shape { get; }
    public IReadOnlyList<string> ClassNames { get; }
    public IReadOnlyList<int> Labels => labels;
    public IReadOnlyList<ImageFile> Files => files;
    public int Count => files.Length;
    public StreamingOptions Options { get; }

    /// <summary>Every file left out so far: not images when listed, or undecodable when an epoch reached them.</summary>
    public IReadOnlyList<SkippedFile> Skipped
    {
        get { lock (skipped) return [.. skipped]; }
    }

    /// <summary>Raised on the thread that reads the batches (the training loop's), as each skipped file's batch comes out.</summary>
    public event Action<SkippedFile>? FileSkipped;

    /// <summary>Raised once when the cache fails (e.g. its disk is full); training goes on without storing.</summary>
    public event Action<string>? CacheFailed;

    /// <summary>The files at <paramref name="indices"/>, streamed with the same options and cache.</summary>
    public StreamingImageFolderSource Subset(IReadOnlyList<int> indices, string? name = null) =>
        new(name ?? Name, indices.Select(i => files[i]).ToArray(), ClassNames, Shape, Options);

    /// <summary>
    /// Decodes the files (all, or those at <paramref name="indices"/>) into an in-memory dataset, e.g. a
    /// validation or test part; undecodable files are skipped and reported (or thrown when strict).
    /// </summary>
    public ImageDataset Load(IReadOnlyList<int>? indices = null, string? name = null)
    {
        var chosen = indices?.Select(i => files[i]).ToArray() ?? files;
        int size = Shape.Size;
        var pixels = new byte[(long)chosen.Length * size];
        var errors = new ImageDecodeException?[chosen.Length];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Options.WorkerCount, CancellationToken = Options.Cancellation };
        Parallel.For(0, chosen.Length, parallel, i =>
        {
            try { ImageDecoder.DecodeFile(chosen[i].Path, Shape, pixels.AsSpan(i * size, size)); }
            catch (ImageDecodeException e) { errors[i] = e; }
        });
        var kept = new List<int>(chosen.Length);
        for (int i = 0; i < chosen.Length; i++)
        {
            if (errors[i] is { } error)
            {
                if (Options.Strict) throw error;
                Report(new SkippedFile(chosen[i].Path, error.Reason));
                continue;
            }
            if (kept.Count != i) pixels.AsSpan(i * size, size).CopyTo(pixels.AsSpan(kept.Count * size, size));
            kept.Add(i);
        }
        if (kept.Count < chosen.Length) Array.Resize(ref pixels, kept.Count * size);
        return new ImageDataset(name ?? Name, Shape, ClassNames, pixels, kept.Select(i => chosen[i].Label).ToArray());
    }

    public IEnumerable<Batch> Batches(int batchSize, ISampler sampler, int epoch)
    {
        if (batchSize < 1) throw new ArgumentException($"Batch size must be at least 1, not {batchSize}.");
        int[] order = sampler.Order(Count, epoch);
        int[][] batches = order.Chunk(batchSize).ToArray();
        return batches.Length == 0 ? [] : Stream(batches);
    }

    IEnumerable<Batch> Stream(int[][] batches)
    {
        using var prefetcher = new BatchPrefetcher(files, Shape, batches, Options, pool);
        while (prefetcher.Next() is { } decoded)
        {
            foreach (var file in decoded.Skipped) Report(file);
            ReportCacheFailure();
            if (decoded.Count == 0)
            {
                pool.Return(decoded.Buffer);
                continue; // every file of the batch was skipped
            }
            var images = empty([decoded.Count, Shape.Channels, Shape.Height, Shape.Width], ScalarType.Byte);
            decoded.Buffer.AsSpan(0, decoded.Count * Shape.Size).CopyTo(images.bytes);
            pool.Return(decoded.Buffer);
            yield return new Batch(images, tensor(decoded.Labels.AsSpan(0, decoded.Count).ToArray()));
        }
    }

    void Report(SkippedFile file)
    {
        lock (skipped) skipped.Add(file);
        FileSkipped?.Invoke(file);
    }

    void ReportCacheFailure()
    {
        if (cacheFailureReported || Options.Cache?.Failure is not { } failure) return;
        cacheFailureReported = true;
        CacheFailed?.Invoke(failure);
    }

    public override string ToString() => $"{Name}: {Count} image files of {Shape}, {ClassNames.Count} classes (streamed)";
}
