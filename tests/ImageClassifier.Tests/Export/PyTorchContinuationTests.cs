using System.Diagnostics;
using ImageClassifier.Export.Onnx;
using ImageClassifier.Imaging;
using ImageClassifier.Models;
using ImageClassifier.Tests.TestSupport;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace ImageClassifier.Tests.Export;

/// <summary>
/// docs/SCALING.md's "Continuing training in PyTorch": the exported file's initializers load, by their names, into a
/// PyTorch ResNet with torchvision's module names, give TorchSharp's logits, and train on under DistributedDataParallel.
/// Runs Debian's python3-torch (1.13) and python3-onnx through /usr/bin/python3.
/// </summary>
public class PyTorchContinuationTests(ITestOutputHelper output)
{
    [SkippableFact]
    public void Exported_weights_load_into_pytorch_give_the_same_logits_and_train_under_ddp()
    {
        Skip.If(OnnxChecker.Unavailable is not null, OnnxChecker.Unavailable);
        Skip.IfNot(PythonHas("torch"), $"{OnnxChecker.Python} has no torch module (apt-get install python3-torch)");
        using var dir = new TempDirectory();
        manual_seed(21);
        using var model = Classifier.Create("resnet-small", new ImageShape(3, 32, 32), ["a", "b", "c", "d"],
            new Preprocessing(1f / 255, [0.5f, 0.45f, 0.4f], [0.25f, 0.25f, 0.3f], "bgr"));
        OnnxParity.RandomizeBatchNorm(model);
        string onnx = dir.File("model.onnx");
        OnnxExporter.Export(model, onnx);
        using var pixels = OnnxParity.Pixels(model, 6);
        File.WriteAllBytes(dir.File("pixels.u8"), pixels.data<byte>().ToArray());

        string script = Path.Combine(RepositoryRoot.Path, "tests", "ImageClassifier.Tests", "Export", "pytorch_continue.py");
        var (code, log) = Run(script, onnx, dir.File("pixels.u8"), dir.File("logits.f32"), dir.File("rendezvous"));
        output.WriteLine(log);
        Assert.True(code == 0, log);

        var bytes = File.ReadAllBytes(dir.File("logits.f32"));
        float[] pytorch = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes).ToArray();
        using var expected = model.PredictLogits(pixels);
        double worst = expected.data<float>().ToArray().Zip(pytorch, (e, p) => Math.Abs((double)e - p)).Max();
        output.WriteLine($"largest logit difference, PyTorch {worst:E2}");
        Assert.Equal(6 * 4, pytorch.Length);
        Assert.True(worst <= 1e-4, $"PyTorch's logits differ by up to {worst:E2}");
        Assert.Contains("ddp losses", log);
    }

    static bool PythonHas(string module) => Run("-c", $"import {module}").Code == 0;

    static (int Code, string Output) Run(params string[] arguments)
    {
        var start = new ProcessStartInfo(OnnxChecker.Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + error.Result);
    }
}
