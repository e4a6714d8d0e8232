using ImageClassifier.Models;
using Microsoft.ML.OnnxRuntime;

namespace ImageClassifier.Inference;

/// <summary>
/// Where and how ONNX Runtime runs an exported model: "cpu", "cuda", "cuda:N" or "auto" (CUDA when this build's ONNX
/// Runtime has it), and the intra-op threads (default: one per core). CUDA needs the Microsoft.ML.OnnxRuntime.Gpu.Linux
/// build (dotnet build -p:OnnxRuntimeGpu=true) and CUDA 13 with cuDNN 9 on the machine (1.32.0 loads libcublasLt.so.13).
/// </summary>
public sealed record OnnxRuntimeOptions(string Device = "cpu", int? Threads = null)
{
    const string Cuda = "CUDAExecutionProvider", Cpu = "CPUExecutionProvider";

    internal SessionOptions Create(out string provider)
    {
        var options = new SessionOptions
        {
            IntraOpNumThreads = Threads is > 0 ? Threads.Value : Environment.ProcessorCount,
            InterOpNumThreads = 1,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        // Spinning worker threads double the latency when anything else shares the cores.
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        try
        {
            provider = AddProvider(options);
            return options;
        }
        catch
        {
            options.Dispose();
            throw;
        }
    }

    string AddProvider(SessionOptions options)
    {
        string device = Device.Trim().ToLowerInvariant();
        bool built = OrtEnv.Instance().GetAvailableProviders().Contains(Cuda);
        if (device == "cpu" || (device == "auto" && !built)) return Cpu;
        if (device != "auto" && device != "cuda" && !device.StartsWith("cuda:"))
            throw new ArgumentException($"Unknown device '{Device}': use cpu, cuda, cuda:N or auto.");
        int id = 0;
        if (device.StartsWith("cuda:") && !int.TryParse(device[5..], out id))
            throw new ArgumentException($"Unknown device '{Device}': the GPU number after cuda: must be an integer.");
        if (!built)
            throw new ModelException($"Device '{Device}' needs ONNX Runtime's CUDA build, but this imgclass carries the CPU one (Microsoft.ML.OnnxRuntime). " +
                "Build it with `dotnet build -p:OnnxRuntimeGpu=true` (Microsoft.ML.OnnxRuntime.Gpu.Linux), on a machine with an NVIDIA driver, CUDA 13 and cuDNN 9; or use --device cpu.");
        try
        {
            options.AppendExecutionProvider_CUDA(id);
            return Cuda;
        }
        catch (OnnxRuntimeException e)
        {
            if (Device.Trim().Equals("auto", StringComparison.OrdinalIgnoreCase)) return Cpu;
            throw new ModelException($"Device '{Device}': ONNX Runtime could not start CUDA ({e.Message.Trim()}). It needs an NVIDIA GPU and driver, and the CUDA 13 (libcublasLt.so.13, ...) and cuDNN 9 libraries on the library path.", e);
        }
    }
}
