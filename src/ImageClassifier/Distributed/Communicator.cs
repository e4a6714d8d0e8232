using System.Runtime.InteropServices;
using ImageClassifier.Distributed.Mpi;
using static TorchSharp.torch;

namespace ImageClassifier.Distributed;

/// <summary>
/// The processes of one training job (MPI's world): this process's rank, their number, and the few collectives
/// training needs (sum-allreduce of a tensor in place, allgather of numbers, barrier). MPI can be started once
/// per process, so there is one communicator, <see cref="Start"/>ed by the first distributed run and finished
/// when the process exits. Every call is made on one MPI thread and waited for with <see cref="Timeout"/>: a
/// rank that died or hangs makes the others print one clear line and exit (code <see cref="TimeoutExitCode"/>)
/// instead of waiting forever.
/// </summary>
public sealed class Communicator
{
    public const int TimeoutExitCode = 3;
    static readonly Lock gate = new();
    static Communicator? current;

    readonly MpiThread mpi;
    readonly IntPtr world;

    Communicator(TimeSpan timeout)
    {
        mpi = new MpiThread(timeout, OnTimeout);
        world = mpi.Run(() =>
        {
            Check(MpiNative.MPI_Initialized(out int started), "MPI_Initialized");
            if (started == 0) Check(MpiNative.MPI_Init(0, 0), "MPI_Init");
            return MpiNative.CommWorld;
        }, "starting MPI");
        (Rank, Size) = mpi.Run(() =>
        {
            Check(MpiNative.MPI_Comm_rank(world, out int rank), "MPI_Comm_rank");
            Check(MpiNative.MPI_Comm_size(world, out int size), "MPI_Comm_size");
            return (rank, size);
        }, "reading the rank");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Finish();
        // Under mpirun a rank that dies takes the job down: mpirun sends the others SIGTERM. Say so, once.
        PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ =>
            Console.Error.WriteLine($"error: rank {Rank} of {Size}: stopped by the launcher (SIGTERM), most likely because another rank failed: see its message."));
    }

    /// <summary>This process's place in the job, 0 to <see cref="Size"/> - 1; rank 0 writes the files.</summary>
    public int Rank { get; }
    public int Size { get; }
    public bool IsRoot => Rank == 0;

    /// <summary>How long a collective may wait for the other ranks before this one gives up.</summary>
    public TimeSpan Timeout { get => mpi.Timeout; set => mpi.Timeout = value; }

    /// <summary>The process's communicator, started (MPI_Init) on first use; outside mpirun a job of one.</summary>
    public static Communicator Start(TimeSpan timeout)
    {
        lock (gate)
        {
            if (current is null)
            {
                if (!MpiNative.Available)
                    throw new DistributedException($"Distributed training needs Open MPI ({MpiNative.Library} was not found): install it (Debian: apt-get install openmpi-bin) and launch with mpirun.");
                current = new Communicator(timeout);
            }
            current.Timeout = timeout;
            return current;
        }
    }

    /// <summary>The started communicator, or null.</summary>
    public static Communicator? Current => current;

    /// <summary>Sums a contiguous float32 or float64 CPU tensor over all ranks, in place (no copy), when <see cref="Wait"/>ed.</summary>
    public Task<bool> StartAllreduceSum(Tensor values)
    {
        if (values.dtype is not (ScalarType.Float32 or ScalarType.Float64) || !values.is_contiguous() || values.device_type != TorchSharp.DeviceType.CPU)
            throw new ArgumentException("Allreduce takes a contiguous float32 or float64 tensor on the CPU.");
        int count = checked((int)values.numel());
        var type = values.dtype == ScalarType.Float32 ? MpiNative.Float : MpiNative.Double;
        return mpi.Start(() =>
        {
            Check(MpiNative.MPI_Allreduce(MpiNative.InPlace, ref MemoryMarshal.GetReference(values.bytes), count, type, MpiNative.Sum, world), "MPI_Allreduce");
            return true;
        });
    }

    public void Wait(Task<bool> pending, string what) => mpi.Wait(pending, what);

    public void AllreduceSum(Tensor values, string what) => Wait(StartAllreduceSum(values), what);

    /// <summary>The element-wise sum of <paramref name="values"/> over all ranks.</summary>
    public double[] AllreduceSum(double[] values, string what)
    {
        var copy = (double[])values.Clone();
        return mpi.Run(() =>
        {
            Check(MpiNative.MPI_Allreduce(MpiNative.InPlace, copy, copy.Length, MpiNative.Double, MpiNative.Sum, world), "MPI_Allreduce");
            return copy;
        }, what);
    }

    /// <summary>Every rank's <paramref name="values"/> (the same length on each): result[rank][i].</summary>
    public long[][] Allgather(long[] values, string what)
    {
        var all = new long[values.Length * Size];
        mpi.Run(() =>
        {
            Check(MpiNative.MPI_Allgather(values, values.Length, MpiNative.Int64, all, values.Length, MpiNative.Int64, world), "MPI_Allgather");
            return true;
        }, what);
        return all.Chunk(values.Length).ToArray();
    }

    public void Barrier(string what) => mpi.Run(() => { Check(MpiNative.MPI_Barrier(world), "MPI_Barrier"); return true; }, what);

    /// <summary>Ends the whole job at once (mpirun stops the other ranks): for an error on one rank that the others cannot see.</summary>
    public void Abort(int code)
    {
        Console.Error.Flush();
        var aborting = mpi.Start(() => MpiNative.MPI_Abort(world, code));
        aborting.Wait(TimeSpan.FromSeconds(10));
        Environment.Exit(code);
    }

    bool finished;

    /// <summary>MPI_Finalize, once; after every rank's work (it waits for the others).</summary>
    public void Finish()
    {
        lock (gate)
        {
            if (finished) return;
            finished = true;
        }
        var done = mpi.Start(() =>
        {
            MpiNative.MPI_Finalized(out int over);
            return over != 0 || MpiNative.MPI_Finalize() == 0;
        });
        done.Wait(Timeout);
    }

    void OnTimeout(string what)
    {
        Console.Out.Flush();
        Console.Error.WriteLine($"error: rank {Rank} of {Size}: {what}: another rank has died or hangs. Stopping (the distributed timeout is {Timeout.TotalSeconds:0} s).");
        Console.Error.Flush();
        Environment.Exit(TimeoutExitCode);
    }

    static void Check(int code, string call)
    {
        if (code != 0) throw new DistributedException($"{call} failed with MPI error {code}.");
    }
}

/// <summary>A distributed run that cannot go on: MPI missing, ranks that disagree, a rank that failed.</summary>
public sealed class DistributedException(string message) : Exception(message);
