using ImageClassifier.Data;
using ImageClassifier.Evaluation;
using ImageClassifier.Imaging;
using ImageClassifier.Serving;

namespace ImageClassifier.Tests.Serving;

/// <summary>The micro-batcher on its own, with a model stand-in that records each forward pass: fast and exact.</summary>
public class MicroBatcherTests
{
    sealed class RecordingModel(TimeSpan passTime)
    {
        public List<int> Batches { get; } = [];

        // Each "prediction" names its image, so a request can check it got its own answers back.
        public IReadOnlyList<Prediction> Predict(IReadOnlyList<ImageFileInput> images, int topK)
        {
            lock (Batches) Batches.Add(images.Count);
            Thread.Sleep(passTime);
            return images.Select(i => new Prediction(i.Path, Enumerable.Range(0, topK).Select(k => new ClassScore(k, $"class {k}", 1.0 / (k + 1))).ToArray())).ToArray();
        }
    }

    static ImageFileInput Image(string name) => new(name, new DecodedImage(1, 1, 1, [0]), [0], null);

    [Fact]
    public async Task Concurrent_requests_are_gathered_up_to_the_batch_size_and_each_gets_its_own_predictions()
    {
        var model = new RecordingModel(TimeSpan.FromMilliseconds(30));
        await using var batcher = new MicroBatcher(model.Predict, maxBatch: 4, maxWait: TimeSpan.FromMilliseconds(200), capacity: 100);

        var tasks = Enumerable.Range(0, 10).Select(i => batcher.TryPredict([Image($"image {i}")], topK: 1 + i % 3)!).ToArray();
        var results = await Task.WhenAll(tasks);

        for (int i = 0; i < 10; i++)
        {
            Assert.Equal($"image {i}", Assert.Single(results[i]).Source);
            Assert.Equal(1 + i % 3, results[i][0].Top.Count); // its own k, though the batch ran with the largest
        }
        Assert.Equal(10, model.Batches.Sum());
        Assert.All(model.Batches, size => Assert.InRange(size, 1, 4));
        Assert.True(model.Batches.Count <= 4, $"10 requests queued together ran in {model.Batches.Count} passes: [{string.Join(", ", model.Batches)}]");
        Assert.Equal((10L, 10L, (long)model.Batches.Count, 0L), batcher.Counts);
    }

    [Fact]
    public async Task A_batch_of_one_turns_batching_off_and_a_large_request_runs_whole()
    {
        var model = new RecordingModel(TimeSpan.Zero);
        await using var batcher = new MicroBatcher(model.Predict, maxBatch: 1, maxWait: TimeSpan.FromMilliseconds(50), capacity: 100);
        await Task.WhenAll(Enumerable.Range(0, 5).Select(i => batcher.TryPredict([Image($"{i}")], 1)!));
        var big = await batcher.TryPredict(Enumerable.Range(0, 3).Select(i => Image($"big {i}")).ToArray(), 1)!;

        Assert.Equal([1, 1, 1, 1, 1, 3], model.Batches);
        Assert.Equal(["big 0", "big 1", "big 2"], big.Select(p => p.Source));
    }

    [Fact]
    public async Task A_lone_request_waits_no_longer_than_the_maximum_wait()
    {
        var model = new RecordingModel(TimeSpan.Zero);
        await using var batcher = new MicroBatcher(model.Predict, maxBatch: 64, maxWait: TimeSpan.FromMilliseconds(100), capacity: 10);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await batcher.TryPredict([Image("alone")], 1)!;
        Assert.InRange(clock.Elapsed.TotalMilliseconds, 90, 5_000); // waited for company, then ran alone
        Assert.Equal([1], model.Batches);
    }

    [Fact]
    public async Task A_failing_pass_fails_its_requests_only_and_disposing_finishes_what_is_queued()
    {
        int pass = 0;
        IReadOnlyList<Prediction> Predict(IReadOnlyList<ImageFileInput> images, int k) =>
            Interlocked.Increment(ref pass) == 1 ? throw new InvalidOperationException("out of memory")
                : images.Select(i => new Prediction(i.Path, [new ClassScore(0, "a", 1)])).ToArray();
        var batcher = new MicroBatcher(Predict, maxBatch: 1, maxWait: TimeSpan.Zero, capacity: 10);

        var failing = batcher.TryPredict([Image("first")], 1)!;
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
        Assert.Equal("out of memory", error.Message);

        var queued = Enumerable.Range(0, 5).Select(i => batcher.TryPredict([Image($"{i}")], 1)!).ToArray();
        await batcher.DisposeAsync();
        Assert.All(queued, t => Assert.True(t.IsCompletedSuccessfully));
        Assert.Null(batcher.TryPredict([Image("late")], 1)); // stopped: the server answers 503
    }
}
