using System.Diagnostics;
using System.Threading.Channels;
using ImageClassifier.Data;
using ImageClassifier.Evaluation;

namespace ImageClassifier.Serving;

/// <summary>
/// Gathers concurrent prediction requests into one forward pass: the first request waiting opens a batch, which
/// takes the requests queued behind it until it holds <c>maxBatch</c> images or <c>maxWait</c> has passed since
/// it opened; then the model runs once and each request's task completes with its own predictions. On a CPU a
/// batch of 16 costs far less than 16 single passes. maxBatch 1 turns batching off. Disposing stops taking
/// requests and finishes those already queued.
/// </summary>
public sealed class MicroBatcher : IAsyncDisposable
{
    sealed record Job(IReadOnlyList<ImageFileInput> Images, int TopK, TaskCompletionSource<IReadOnlyList<Prediction>> Done, CancellationToken Cancel);

    readonly Func<IReadOnlyList<ImageFileInput>, int, IReadOnlyList<Prediction>> predict;
    readonly Channel<Job> queue;
    readonly Task worker;
    long requests, images, batches, waiting;

    public MicroBatcher(Func<IReadOnlyList<ImageFileInput>, int, IReadOnlyList<Prediction>> predict, int maxBatch, TimeSpan maxWait, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        this.predict = predict;
        MaxBatch = maxBatch;
        MaxWait = maxWait;
        queue = Channel.CreateBounded<Job>(new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        worker = Task.Run(RunAsync);
    }

    public int MaxBatch { get; }
    public TimeSpan MaxWait { get; }

    /// <summary>Requests answered, images predicted and forward passes run so far, and requests waiting now.</summary>
    public (long Requests, long Images, long Batches, long Waiting) Counts =>
        (Interlocked.Read(ref requests), Interlocked.Read(ref images), Interlocked.Read(ref batches), Interlocked.Read(ref waiting));

    /// <summary>
    /// Queues the images of one request; the task completes when their batch has run. Returns null when the
    /// queue is full or the batcher is shutting down (the caller answers 503).
    /// </summary>
    public Task<IReadOnlyList<Prediction>>? TryPredict(IReadOnlyList<ImageFileInput> inputs, int topK, CancellationToken cancel = default)
    {
        var job = new Job(inputs, topK, new TaskCompletionSource<IReadOnlyList<Prediction>>(TaskCreationOptions.RunContinuationsAsynchronously), cancel);
        if (!queue.Writer.TryWrite(job)) return null;
        Interlocked.Increment(ref waiting);
        return job.Done.Task;
    }

    async Task RunAsync()
    {
        var reader = queue.Reader;
        var batch = new List<Job>();
        while (await reader.WaitToReadAsync())
        {
            batch.Clear();
            int count = 0;
            long deadline = Stopwatch.GetTimestamp() + (long)(MaxWait.TotalSeconds * Stopwatch.Frequency);
            while (count < MaxBatch)
            {
                // A request that would overflow the batch waits for the next one (unless the batch is empty: a request larger than maxBatch runs alone).
                if (reader.TryPeek(out var next))
                {
                    if (count > 0 && count + next.Images.Count > MaxBatch) break;
                    reader.TryRead(out _);
                    Interlocked.Decrement(ref waiting);
                    if (next.Cancel.IsCancellationRequested) { next.Done.TrySetCanceled(next.Cancel); continue; }
                    batch.Add(next);
                    count += next.Images.Count;
                    continue;
                }
                long left = deadline - Stopwatch.GetTimestamp();
                if (batch.Count > 0 && left <= 0) break;
                if (batch.Count > 0 && !await WaitForMore(reader, Stopwatch.GetElapsedTime(0, left))) break;
                if (batch.Count == 0 && !await reader.WaitToReadAsync()) break;
            }
            if (batch.Count > 0) Run(batch);
        }
    }

    static async Task<bool> WaitForMore(ChannelReader<Job> reader, TimeSpan timeout)
    {
        using var timer = new CancellationTokenSource(timeout);
        try { return await reader.WaitToReadAsync(timer.Token); }
        catch (OperationCanceledException) { return false; }
    }

    void Run(List<Job> batch)
    {
        try
        {
            var inputs = batch.Count == 1 ? batch[0].Images : batch.SelectMany(j => j.Images).ToList();
            var predictions = predict(inputs, batch.Max(j => j.TopK));
            Interlocked.Increment(ref batches);
            Interlocked.Add(ref images, inputs.Count);
            int at = 0;
            foreach (var job in batch)
            {
                // Each request asked for its own k: the top-k of a larger k, cut, is the same list.
                var own = predictions.Skip(at).Take(job.Images.Count).Select(p => p.Top.Count > job.TopK ? p with { Top = p.Top.Take(job.TopK).ToArray() } : p).ToArray();
                at += job.Images.Count;
                Interlocked.Increment(ref requests);
                job.Done.TrySetResult(own);
            }
        }
        catch (Exception e)
        {
            foreach (var job in batch) job.Done.TrySetException(e);
        }
    }

    /// <summary>Stops taking requests, answers those already queued, and waits for the worker.</summary>
    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await worker;
    }
}
