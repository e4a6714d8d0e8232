using ImageClassifier.Export.Onnx;
using ImageClassifier.Models;
using Microsoft.ML.OnnxRuntime;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace ImageClassifier.Tests.Export;

/// <summary>Exports a model and runs the file with ONNX Runtime on the inputs TorchSharp saw: the largest difference of their outputs.</summary>
static class OnnxParity
{
    /// <summary>Sets every batch norm's statistics, scale and shift to random values, so that an export that ignored any of them would show.</summary>
    public static void RandomizeBatchNorm(Classifier model, int seed = 3)
    {
        using var noGrad = no_grad();
        using var generator = new Generator((ulong)seed);
        foreach (var (_, module) in model.Network.named_modules())
        {
            if (module is not (TorchSharp.Modules.BatchNorm1d or TorchSharp.Modules.BatchNorm2d)) continue;
            var state = module.state_dict();
            state["running_mean"].copy_(randn(state["running_mean"].shape, generator: generator).mul_(0.2));
            state["running_var"].copy_(rand(state["running_var"].shape, generator: generator).mul_(0.5).add_(0.75));
            state["weight"].copy_(rand(state["weight"].shape, generator: generator).add_(0.5));
            state["bias"].copy_(randn(state["bias"].shape, generator: generator).mul_(0.1));
        }
    }

    /// <summary>Random uint8 images [n, C, H, W] of the model's input shape.</summary>
    public static Tensor Pixels(Classifier model, int n, int seed = 5)
    {
        using var generator = new Generator((ulong)seed);
        return randint(0, 256, [n, .. model.Spec.InputShape.Select(d => (long)d)], generator: generator).to_type(ScalarType.Byte);
    }

    /// <summary>
    /// Exports to <paramref name="path"/> and returns the largest absolute difference between TorchSharp's logits (or probabilities
    /// with softmax) and ONNX Runtime's for <paramref name="pixels"/>: fed as uint8 when the graph holds the preprocessing, else as
    /// the float input TorchSharp's preprocessing made.
    /// </summary>
    public static double MaxDifference(Classifier model, Tensor pixels, string path, OnnxExportOptions options)
    {
        OnnxExporter.Export(model, path, options);
        using var scope = NewDisposeScope();
        var expected = options.Softmax ? model.PredictProbabilities(pixels) : model.PredictLogits(pixels);
        using var session = Session(path);
        long[] shape = [.. pixels.shape];
        using var input = options.IncludePreprocessing
            ? OrtValue.CreateTensorValueFromMemory(pixels.data<byte>().ToArray(), shape)
            : OrtValue.CreateTensorValueFromMemory(model.Input(pixels).contiguous().data<float>().ToArray(), shape);
        string inputName = session.InputMetadata.Keys.Single(), outputName = session.OutputMetadata.Keys.Single();
        using var outputs = session.Run(new RunOptions(), [inputName], [input], [outputName]);
        float[] actual = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        Assert.Equal(expected.shape, outputs[0].GetTensorTypeAndShape().Shape);
        float[] wanted = expected.data<float>().ToArray();
        return wanted.Zip(actual, (e, a) => Math.Abs((double)e - a)).Max();
    }

    public static InferenceSession Session(string path)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 2, InterOpNumThreads = 1 };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        return new InferenceSession(path, options);
    }
}
