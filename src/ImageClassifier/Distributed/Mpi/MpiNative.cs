using System.Runtime.InteropServices;

namespace ImageClassifier.Distributed.Mpi;

/// <summary>
/// A thin binding of the few MPI calls data-parallel training needs, to Open MPI's libmpi.so.40.
/// Why hand-written: the only .NET MPI package served, MPI.NET 1.4.0, is built for MS-MPI, whose handles
/// (communicators, datatypes, ops) are integers; Open MPI's are pointers to exported structs, so MPI.NET
/// crashes on Open MPI (it runs on MPICH only with a library redirect). Open MPI is what Debian, Slurm and
/// the Kubernetes MPI operators ship, so we bind it directly: each handle is the address of its
/// <c>ompi_mpi_*</c> global, and MPI_IN_PLACE is (void*)1, as in Open MPI's mpi.h.
/// Every call returns MPI_SUCCESS (0) or an error code; the default error handler aborts the job anyway.
/// Callers must make all calls from one thread (see <see cref="MpiThread"/>).
/// </summary>
static class MpiNative
{
    public const string Library = "libmpi.so.40";
    public static readonly IntPtr InPlace = 1;

    [DllImport(Library)] public static extern int MPI_Init(IntPtr argc, IntPtr argv);
    [DllImport(Library)] public static extern int MPI_Initialized(out int flag);
    [DllImport(Library)] public static extern int MPI_Finalized(out int flag);
    [DllImport(Library)] public static extern int MPI_Finalize();
    [DllImport(Library)] public static extern int MPI_Comm_rank(IntPtr comm, out int rank);
    [DllImport(Library)] public static extern int MPI_Comm_size(IntPtr comm, out int size);
    /// <summary>In place (send = <see cref="InPlace"/>) on memory given by reference, e.g. a tensor's bytes.</summary>
    [DllImport(Library)] public static extern int MPI_Allreduce(IntPtr send, ref byte receive, int count, IntPtr datatype, IntPtr op, IntPtr comm);
    [DllImport(Library)] public static extern int MPI_Allreduce(IntPtr send, [In, Out] double[] receive, int count, IntPtr datatype, IntPtr op, IntPtr comm);
    [DllImport(Library)] public static extern int MPI_Allgather([In] long[] send, int sendCount, IntPtr sendType, [Out] long[] receive, int receiveCount, IntPtr receiveType, IntPtr comm);
    [DllImport(Library)] public static extern int MPI_Barrier(IntPtr comm);
    [DllImport(Library)] public static extern int MPI_Abort(IntPtr comm, int code);

    static readonly Lazy<IntPtr> handle = new(() => NativeLibrary.Load(Library));
    static IntPtr Global(string name) => NativeLibrary.GetExport(handle.Value, name);

    public static IntPtr CommWorld => Global("ompi_mpi_comm_world");
    public static IntPtr Float => Global("ompi_mpi_float");
    public static IntPtr Double => Global("ompi_mpi_double");
    public static IntPtr Int64 => Global("ompi_mpi_int64_t");
    public static IntPtr Sum => Global("ompi_mpi_op_sum");
    public static IntPtr Max => Global("ompi_mpi_op_max");

    /// <summary>Whether libmpi.so.40 can be loaded here (Open MPI installed).</summary>
    public static bool Available => NativeLibrary.TryLoad(Library, out _);
}
