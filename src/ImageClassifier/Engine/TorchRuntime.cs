using System.Runtime.InteropServices;
using TorchSharp;

namespace ImageClassifier.Engine;

/// <summary>Process-wide libtorch settings: threads, device, seed and allocator tuning.</summary>
public static class TorchRuntime
{
    static bool mallocTuned;
    const int M_TRIM_THRESHOLD = -1, M_TOP_PAD = -2, M_MMAP_THRESHOLD = -3;
    const int HeapBufferLimit = 32 << 20;   // the largest mmap threshold glibc accepts

    /// <summary>Sets the number of intra-op threads (default: one per core) and tunes malloc once.</summary>
    public static void Configure(int? threads = null)
    {
        // More threads than cores only thrash, and libtorch hangs starting tens of thousands of them.
        int most = Math.Max(4 * Environment.ProcessorCount, 64);
        if (threads is < 1 || threads > most)
            throw new ArgumentException($"--threads must be 1 to {most} (this machine has {Environment.ProcessorCount} cores), not {threads}; leave it out for one per core.");
        TuneMalloc();
        int count = threads ?? Environment.ProcessorCount;
        if (torch.get_num_threads() != count) torch.set_num_threads(count);
    }

    /// <summary>"cpu", "cuda", "cuda:1" or "auto" (cuda when available).</summary>
    public static torch.Device ResolveDevice(string? name)
    {
        string value = string.IsNullOrWhiteSpace(name) ? "cpu" : name.Trim().ToLowerInvariant();
        if (value == "auto") return torch.cuda.is_available() ? torch.CUDA : torch.CPU;
        if (value.StartsWith("cuda") && !torch.cuda.is_available())
            throw new ArgumentException($"Device '{name}' was asked for, but CUDA is not available (this build uses libtorch-cpu): use \"cpu\".");
        if (value != "cpu" && !value.StartsWith("cuda"))
            throw new ArgumentException($"Unknown device '{name}': use cpu, cuda, cuda:N or auto.");
        return new torch.Device(value);
    }

    public static void Seed(int seed) => torch.manual_seed(seed);

    // glibc hands large tensor buffers back to the kernel after every batch, costing millions of
    // page faults per epoch; keeping them (as MALLOC_*_THRESHOLD_ would) cut system time ~15x here.
    static void TuneMalloc()
    {
        if (mallocTuned || !OperatingSystem.IsLinux()) return;
        mallocTuned = true;
        try
        {
            mallopt(M_MMAP_THRESHOLD, HeapBufferLimit);
            mallopt(M_TRIM_THRESHOLD, 1 << 30);
            mallopt(M_TOP_PAD, 64 << 20);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // not glibc (e.g. musl): run with the allocator's defaults
        }
    }

    /// <summary>
    /// Hands memory that tensors freed back to the kernel now. The tuning above keeps up to 1 GB of it for reuse,
    /// which is right within a phase (the same sizes come back every batch) but not between phases of different
    /// shapes, where the kept memory only adds to the next phase's peak.
    /// </summary>
    public static void ReleaseFreedMemory()
    {
        if (!mallocTuned) return;
        try { malloc_trim(0); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { }
    }

    /// <summary>
    /// Until disposed, buffers of <paramref name="bytes"/> or more are mapped from the kernel and handed back as soon as they are
    /// freed, instead of living in the heap. For phases whose large activations come in many shapes (fine-tuning a pretrained
    /// ResNet at 224 px): holes between them in the heap add to the peak, and mapping trades page faults for them
    /// (FineTuning.LighterActivations says when that pays). The small-image training loops keep the heap, where they are 15x
    /// lighter on system time.
    /// </summary>
    public static IDisposable MapBuffersFrom(int bytes)
    {
        if (!mallocTuned || !SetMmapThreshold(bytes)) return new Undo(() => { });
        return new Undo(() => SetMmapThreshold(HeapBufferLimit));
    }

    static bool SetMmapThreshold(int bytes)
    {
        try { return mallopt(M_MMAP_THRESHOLD, bytes) == 1; }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return false; }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    static extern int mallopt(int param, int value);

    [DllImport("libc", EntryPoint = "malloc_trim")]
    static extern int malloc_trim(nuint pad);
}
