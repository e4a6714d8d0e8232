using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using ImageClassifier.Imaging;

namespace ImageClassifier.Data.Loading;

/// <summary>
/// Decodes the batches of one epoch on worker threads, as PyTorch's DataLoader does: batch k is made by
/// worker k mod N, and each worker holds at most its prefetch count of finished batches in its own bounded
/// channel. Reading the channels in turn gives the batches in order whatever the number of workers (so
/// results do not depend on it), and memory stays bounded to N x (prefetch + 1) batch buffers.
/// A worker's error travels through its channel to the reader; disposing cancels and joins the workers,
/// so an epoch that ends early (early stopping, an error, cancellation) never leaves them blocked.
/// </summary>
internal sealed class BatchPrefetcher : IDisposable
{
    /// <summary>A decoded batch: the first <c>Count</c> images of <c>Buffer</c>, their labels, and the files skipped.</summary>
    public sealed record Decoded(byte[] Buffer, int Count, long[] Labels, IReadOnlyList<SkippedFile> Skipped);

    readonly IReadOnlyList<ImageFile> files;
    readonly ImageShape shape;
    readonly int[][] batches;
    readonly StreamingOptions options;
    readonly BufferPool pool;
    readonly Channel<Decoded>[] channels;
    readonly Task[] workers;
    readonly CancellationTokenSource stop;
    int next;

    public BatchPrefetcher(IReadOnlyList<ImageFile> files, ImageShape shape, int[][] batches, StreamingOptions options, BufferPool pool)
    {
        this.files = files;
        this.shape = shape;
        this.batches = batches;
        this.options = options;
        this.pool = pool;
        stop = CancellationTokenSource.CreateLinkedTokenSource(options.Cancellation);
        int count = Math.Max(1, Math.Min(options.WorkerCount, batches.Length));
        channels = new Channel<Decoded>[count];
        workers = new Task[count];
        for (int w = 0; w < count; w++)
        {
            channels[w] = Channel.CreateBounded<Decoded>(new BoundedChannelOptions(options.PrefetchPerWorker)
            {
                SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait,
            });
            int worker = w;
            // Dedicated threads: decoding is CPU work that would otherwise starve the thread pool.
            workers[w] = Task.Factory.StartNew(() => Work(worker), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
    }

    /// <summary>The next batch in order (blocking until it is decoded), or null after the last.</summary>
    public Decoded? Next()
    {
        if (next >= batches.Length) return null;
        var reader = channels[next % channels.Length].Reader;
        try
        {
            var decoded = reader.ReadAsync(stop.Token).AsTask().GetAwaiter().GetResult();
            next++;
            return decoded;
        }
        catch (ChannelClosedException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }

    void Work(int worker)
    {
        var writer = channels[worker].Writer;
        try
        {
            for (int k = worker; k < batches.Length; k += channels.Length)
            {
                var decoded = Decode(batches[k]);
                if (!writer.TryWrite(decoded))
                    writer.WriteAsync(decoded, stop.Token).AsTask().GetAwaiter().GetResult(); // waits while the prefetch is full
            }
            writer.TryComplete();
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            writer.TryComplete(new OperationCanceledException("The epoch was cancelled.", stop.Token));
        }
        catch (Exception e)
        {
            writer.TryComplete(e);
        }
    }

    Decoded Decode(int[] batch)
    {
        int size = shape.Size;
        var buffer = pool.Rent(batches[0].Length * size); // the first batch is a full one: one buffer size for all
        var labels = new long[batch.Length];
        var skipped = new List<SkippedFile>();
        int count = 0;
        try
        {
            foreach (int index in batch)
            {
                stop.Token.ThrowIfCancellationRequested();
                var file = files[index];
                var destination = buffer.AsSpan(count * size, size);
                try
                {
                    if (options.Cache?.TryGet(file.Path, shape, destination) != true)
                    {
                        ImageDecoder.DecodeFile(file.Path, shape, destination);
                        options.Cache?.Put(file.Path, shape, destination);
                    }
                    labels[count++] = file.Label;
                }
                catch (ImageDecodeException e) when (!options.Strict)
                {
                    skipped.Add(new SkippedFile(file.Path, e.Reason)); // its slot is reused by the next file
                }
            }
            return new Decoded(buffer, count, labels, skipped);
        }
        catch
        {
            pool.Return(buffer);
            throw;
        }
    }

    public void Dispose()
    {
        stop.Cancel();
        try
        {
            // Workers look at the token between images, so they end within one decode.
            Task.WaitAll(workers, TimeSpan.FromSeconds(30));
        }
        catch (AggregateException) { } // their errors already went to the reader
        foreach (var channel in channels)
            while (channel.Reader.TryRead(out var left)) pool.Return(left.Buffer);
        stop.Dispose();
    }
}

/// <summary>Batch buffers reused across batches and epochs, so steady streaming allocates nothing large.</summary>
internal sealed class BufferPool
{
    readonly ConcurrentBag<byte[]> free = [];

    public byte[] Rent(int length)
    {
        while (free.TryTake(out var buffer))
            if (buffer.Length == length) return buffer; // other lengths (another batch size) are dropped
        return new byte[length];
    }

    public void Return(byte[] buffer) => free.Add(buffer);
}
