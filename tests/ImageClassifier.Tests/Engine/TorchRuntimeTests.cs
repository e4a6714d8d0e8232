using System.Diagnostics;
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
}
