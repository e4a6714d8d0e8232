using System.Collections.Concurrent;

namespace ImageClassifier.Distributed.Mpi;

/// <summary>
/// Runs every MPI call on one dedicated thread, and waits for each with a deadline. MPI collectives block
/// forever when a peer has died or hangs; the caller waits here instead, and when the deadline passes it
/// calls <see cref="onTimeout"/> (which ends the process with a clear message). One thread also means MPI's
/// lowest threading level is enough (MPI_Init is called from it, so it is MPI's main thread), and calls can
/// be queued to run while the caller goes on (<see cref="Start{T}"/>).
/// </summary>
sealed class MpiThread : IDisposable
{
    readonly BlockingCollection<Action> work = new();
    readonly Thread thread;
    readonly Action<string> onTimeout;

    public MpiThread(TimeSpan timeout, Action<string> onTimeout)
    {
        Timeout = timeout;
        this.onTimeout = onTimeout;
        thread = new Thread(() => { foreach (var item in work.GetConsumingEnumerable()) item(); })
        {
            IsBackground = true, // a call stuck in MPI must not keep the process alive
            Name = "MPI",
        };
        thread.Start();
    }

    public TimeSpan Timeout { get; set; }

    /// <summary>Queues <paramref name="call"/>; <see cref="Wait{T}"/> its result.</summary>
    public Task<T> Start<T>(Func<T> call)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        work.Add(() =>
        {
            try { done.SetResult(call()); }
            catch (Exception e) { done.SetException(e); }
        });
        return done.Task;
    }

    /// <summary>The result of a queued call, or <see cref="onTimeout"/> when it takes longer than the timeout.</summary>
    public T Wait<T>(Task<T> pending, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? Timeout;
        if (!pending.Wait(limit)) onTimeout($"{what} did not complete within {limit.TotalSeconds:0} s");
        return pending.GetAwaiter().GetResult();
    }

    public T Run<T>(Func<T> call, string what, TimeSpan? timeout = null) => Wait(Start(call), what, timeout);

    public void Dispose() => work.CompleteAdding();
}
