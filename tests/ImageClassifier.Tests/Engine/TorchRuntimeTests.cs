using System.Diagnostics;
using System.Runtime.InteropServices;
using ImageClassifier.Engine;
using static TorchSharp.torch;

namespace ImageClassifier.Tests.Engine;

public class TorchRuntimeTests
{
    static long ResidentMegabytes()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64 >> 20;
    }

    [Fact]
    public void Released_memory_leaves_the_process_while_tuned_malloc_would_keep_it()
    {
        TorchRuntime.Configure();
        // 24 buffers of 16 MB: under the 32 MB mmap threshold, so malloc's heap holds them, and keeps them when freed.
        var buffers = Enumerable.Range(0, 24).Select(_ => ones(4 << 20)).ToList();
        long held = ResidentMegabytes();
        foreach (var buffer in buffers) buffer.Dispose();
        long kept = ResidentMegabytes();
        TorchRuntime.ReleaseFreedMemory();
        long released = ResidentMegabytes();
        Assert.True(held - released > 300, $"resident: {held} MB holding 384 MB of tensors, {kept} MB after freeing them, {released} MB after the release");
    }

    [Fact]
    public void Mapped_buffers_leave_the_process_when_freed_and_the_heap_keeps_them_again_afterwards()
    {
        TorchRuntime.Configure();
        // Free chunks already in the heap (other tests' freed tensors) serve any size first, mapped or not: fill them.
        var filler = FillHeapHoles();
        long before = ResidentMegabytes();
        long held, mappedKept;
        using (TorchRuntime.MapBuffersFrom(8 << 20))
        {
            // 32 buffers of 16 MB, above the lowered threshold: past the heap's top pad (64 MB), each is its own mapping.
            var mapped = Enumerable.Range(0, 32).Select(_ => ones(4 << 20)).ToList();
            held = ResidentMegabytes();
            foreach (var buffer in mapped) buffer.Dispose();
            mappedKept = ResidentMegabytes();
        }
        var heap = Enumerable.Range(0, 32).Select(_ => ones(4 << 20)).ToList();
        foreach (var buffer in heap) buffer.Dispose();
        long heapKept = ResidentMegabytes();
        foreach (var buffer in filler) buffer.Dispose();
        TorchRuntime.ReleaseFreedMemory();
        string figures = $"resident: {before} MB before, {held} MB holding 512 MB of mapped tensors, {mappedKept} MB after freeing them; " +
            $"{heapKept} MB after the same in the heap once the scope ended";
        Assert.True(held - mappedKept > 300, figures);
        Assert.True(heapKept - mappedKept > 300, figures);
    }

    // Takes 16 MB tensors while they come out of the heap's free chunks (its free bytes fall), not from growing the heap.
    static List<Tensor> FillHeapHoles()
    {
        var filler = new List<Tensor>();
        while (filler.Count < 64)
        {
            ulong free = mallinfo2().fordblks;
            filler.Add(ones(4 << 20));
            if (mallinfo2().fordblks + (8 << 20) > free) break;
        }
        return filler;
    }

    [StructLayout(LayoutKind.Sequential)]
    struct MallocInfo
    {
        public nuint arena, ordblks, smblks, hblks, hblkhd, usmblks, fsmblks, uordblks, fordblks, keepcost;
    }

    [DllImport("libc")]
    static extern MallocInfo mallinfo2();
}
