using System.Diagnostics;
using static TorchSharp.torch;

namespace ImageClassifier.Engine;

/// <summary>
/// The machine's practical ceiling for this engine: GFLOP/s of a large float32 matrix multiply (2n^3 operations),
/// the best of a few runs on the current threads. A model's GFLOP/s as a share of it says how well the engine
/// uses the machine, whatever the CPU: 2-3x apart between machines of one kind, the share is comparable.
/// </summary>
public static class ComputeCeiling
{
    public static double MatrixMultiplyGflops(int size = 2048, int runs = 5, Device? device = null)
    {
        using var scope = NewDisposeScope();
        var a = randn(size, size, device: device ?? CPU);
        var b = randn(size, size, device: device ?? CPU);
        using (var warm = a.matmul(b)) { }
        double best = double.PositiveInfinity;
        for (int i = 0; i < runs; i++)
        {
            var clock = Stopwatch.StartNew();
            using var product = a.matmul(b);
            _ = product[0, 0].item<float>();   // waits for the result on an asynchronous device
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        return 2.0 * size * size * size / best / 1e9;
    }
}
