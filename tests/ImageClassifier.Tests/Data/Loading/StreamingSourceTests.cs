using ImageClassifier.Data;
using ImageClassifier.Data.Loading;
using ImageClassifier.Imaging;
using ImageClassifier.Models;
using ImageClassifier.Tests.TestSupport;
using ImageClassifier.Training;

namespace ImageClassifier.Tests.Data.Loading;

/// <summary>The streaming loader on real PNG files made from Fashion-MNIST images.</summary>
public sealed class StreamingSourceTests : IDisposable
{
    static readonly ImageShape Shape = new(1, 28, 28);
    static readonly TimeSpan NoHang = TimeSpan.FromSeconds(20);
    readonly TempDirectory temp = new();
    readonly string folder;

    public StreamingSourceTests()
    {
        folder = ImageFolders.FashionMnistPngs(temp.File("data"), [0, 1, 7], perClass: 30) + "/train"; // 90 images
    }

    public void Dispose() => temp.Dispose();

    static StreamingImageFolderSource Open(string folder, int workers = 2, DecodedImageCache? cache = null, bool strict = false,
        CancellationToken cancel = default, int prefetch = 2) =>
        StreamingImageFolderSource.Open(folder, Shape, new StreamingOptions { Workers = workers, Cache = cache, Strict = strict, Cancellation = cancel, PrefetchPerWorker = prefetch });

    static List<(byte[] Images, long[] Labels)> Collect(IBatchSource source, ISampler sampler, int batchSize = 8, int epoch = 1) =>
        source.Batches(batchSize, sampler, epoch).Select(b =>
        {
            using (b) return (b.Images.data<byte>().ToArray(), b.Labels.data<long>().ToArray());
        }).ToList();

    // Runs a test body on another thread and fails (rather than hanging the suite) if it takes too long.
    static void WithinTimeout(Action body)
    {
        var task = Task.Run(body);
        Assert.True(task.Wait(NoHang), "the loader hung");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Gives_the_same_batches_as_the_images_read_into_memory(int workers)
    {
        var memory = ImageFolderReader.Read(folder, new ImageFolderOptions(Shape)).Dataset;
        using var inMemory = new InMemoryBatchSource(memory);
        var streamed = Open(folder, workers);
        Assert.Equal(memory.Labels, streamed.Labels);
        Assert.Equal(memory.ClassNames, streamed.ClassNames);
        var expected = Collect(inMemory, new SequentialSampler());
        var actual = Collect(streamed, new SequentialSampler());
        Assert.Equal(12, actual.Count); // 90 / 8, the last batch short
        Assert.Equal(expected.Select(b => b.Labels), actual.Select(b => b.Labels));
        Assert.Equal(expected.Select(b => b.Images), actual.Select(b => b.Images));
    }

    [Fact]
    public void Shuffled_epochs_are_the_same_under_a_seed_whatever_the_number_of_workers()
    {
        var one = Collect(Open(folder, workers: 1), new ShuffleSampler(9), epoch: 2);
        var three = Collect(Open(folder, workers: 3), new ShuffleSampler(9), epoch: 2);
        Assert.Equal(one.Select(b => b.Images), three.Select(b => b.Images));
        var other = Collect(Open(folder, workers: 1), new ShuffleSampler(9), epoch: 3);
        Assert.NotEqual(one.Select(b => b.Labels), other.Select(b => b.Labels));
    }

    [Fact]
    public void A_file_deleted_mid_epoch_is_skipped_and_reported()
    {
        var source = Open(folder, workers: 1, prefetch: 1);
        var reported = new List<SkippedFile>();
        source.FileSkipped += reported.Add;
        string victim = source.Files[85].Path; // in the last batch, which is not decoded yet after the first
        int images = 0;
        WithinTimeout(() =>
        {
            foreach (var batch in source.Batches(8, new SequentialSampler(), 1))
                using (batch)
                {
                    if (images == 0) File.Delete(victim);
                    images += batch.Size;
                }
        });
        Assert.Equal(89, images);
        var skipped = Assert.Single(reported);
        Assert.Equal(victim, skipped.Path);
        Assert.Equal("file not found", skipped.Reason);
        Assert.Equal(skipped, Assert.Single(source.Skipped));
    }

    [Fact]
    public void When_strict_an_unreadable_file_stops_the_epoch_with_its_error()
    {
        var source = Open(folder, workers: 2, strict: true);
        File.WriteAllBytes(source.Files[40].Path, [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3]); // a JPEG header, then garbage
        WithinTimeout(() =>
        {
            var error = Assert.Throws<ImageDecodeException>(() => Collect(source, new SequentialSampler()));
            Assert.Contains(source.Files[40].Path, error.Message);
        });
    }

    [Fact]
    public void Cancelling_ends_the_epoch_and_the_workers()
    {
        using var cancel = new CancellationTokenSource();
        var source = Open(folder, workers: 2, cancel: cancel.Token, prefetch: 1);
        WithinTimeout(() =>
        {
            Assert.ThrowsAny<OperationCanceledException>(() =>
            {
                foreach (var batch in source.Batches(4, new SequentialSampler(), 1))
                    using (batch) cancel.Cancel();
            });
        });
    }

    [Fact]
    public void A_worker_failure_reaches_the_reader_and_stopping_early_releases_the_workers()
    {
        var broken = Open(folder, workers: 2, cache: new FailingCache());
        WithinTimeout(() => Assert.Equal("cache exploded", Assert.Throws<InvalidOperationException>(() => Collect(broken, new SequentialSampler())).Message));

        // Early stopping breaks out of the epoch: the workers, blocked on a full prefetch, must end too.
        var source = Open(folder, workers: 2, prefetch: 1);
        WithinTimeout(() =>
        {
            foreach (var batch in source.Batches(2, new SequentialSampler(), 1).Take(2)) batch.Dispose();
        });
    }

    [Fact]
    public void A_memory_cache_smaller_than_the_dataset_stays_within_its_budget()
    {
        var cache = new MemoryImageCache(10 * Shape.Size + 100); // room for 10 of the 90 images
        var source = Open(folder, cache: cache);
        var first = Collect(source, new ShuffleSampler(1), epoch: 1);
        Assert.Equal(10, cache.Count);
        Assert.Equal(10 * Shape.Size, cache.StoredBytes);
        Assert.Equal((0, 90), (cache.Hits, cache.Misses));
        var second = Collect(source, new SequentialSampler(), epoch: 2);
        Assert.Equal((10, 170), (cache.Hits, cache.Misses)); // the 10 kept are served; the rest decoded again
        Assert.Equal(10 * Shape.Size, cache.StoredBytes);
        Assert.Equal(Collect(Open(folder), new SequentialSampler()).Select(b => b.Images), second.Select(b => b.Images));
    }

    [Fact]
    public void A_disk_cache_serves_the_second_epoch_with_the_same_pixels()
    {
        var cache = DecodedImageCache.OnDisk(temp.File("cache"));
        var source = Open(folder, cache: cache);
        var first = Collect(source, new SequentialSampler());
        Assert.Equal(90, Directory.GetFiles(temp.File("cache"), "*.px").Length);
        var second = Collect(source, new SequentialSampler(), epoch: 2);
        Assert.Equal(90, cache.Hits);
        Assert.Equal(first.Select(b => b.Images), second.Select(b => b.Images));
    }

    [Fact]
    public void A_cache_folder_that_cannot_be_written_is_a_clear_error_at_the_start()
    {
        File.WriteAllText(temp.File("a-file"), "not a folder");
        var error = Assert.Throws<DatasetException>(() => DecodedImageCache.Parse("disk:" + temp.File("a-file/cache")));
        Assert.StartsWith(temp.File("a-file/cache") + ": the image cache folder cannot be written:", error.Message);
        Assert.Contains("memory, memory:MB or disk:FOLDER", Assert.Throws<ArgumentException>(() => DecodedImageCache.Parse("ram")).Message);
        Assert.Contains("whole number of megabytes", Assert.Throws<ArgumentException>(() => DecodedImageCache.Parse("memory:lots")).Message);
    }

    [Fact]
    public void Files_that_are_not_images_are_listed_as_skipped_when_opening()
    {
        File.WriteAllText(Path.Combine(folder, "T-shirt-top", "README.txt"), "hello");
        var source = Open(folder);
        Assert.Equal(90, source.Count);
        var note = Assert.Single(source.Skipped);
        Assert.EndsWith("README.txt", note.Path);
        Assert.StartsWith("not an image", note.Reason);
    }

    [Fact]
    public void Trains_from_a_streamed_folder_and_splits_it_by_index()
    {
        var source = Open(folder);
        var (trainIndices, validationIndices) = Splits.StratifiedIndices(source.Labels, 3, 0.2, seed: 1);
        var train = source.Subset(trainIndices);
        var validation = source.Load(validationIndices);
        Assert.Equal([6, 6, 6], validation.ClassCounts());
        TorchSharp.torch.manual_seed(1);
        using var model = Classifier.Create("mlp", Shape, source.ClassNames);
        var history = model.Fit(train, validation, new TrainingOptions { Epochs = 2, BatchSize = 16, Sampler = WeightedSampler.ForBalancedClasses(train.Labels, 1) });
        Assert.Equal(2, history.Count);
        Assert.True(history.Last!["val_accuracy"] > 0.6, $"val_accuracy {history.Last!["val_accuracy"]}");
    }

    sealed class FailingCache : DecodedImageCache
    {
        public override long StoredBytes => 0;
        public override string? Failure => null;
        public override void Put(string path, ImageShape shape, ReadOnlySpan<byte> pixels) { }
        protected override bool Lookup(string path, ImageShape shape, Span<byte> destination) => throw new InvalidOperationException("cache exploded");
    }
}
