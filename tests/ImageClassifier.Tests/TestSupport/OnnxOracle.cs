using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace ImageClassifier.Tests.TestSupport;

/// <summary>ONNX Runtime running the package's own preprocessing and ResNet18 models: the reference our port must match.</summary>
public sealed class OnnxOracle : IDisposable
{
    readonly InferenceSession preprocess, resnet;

    public OnnxOracle(string preprocessPath, string resnetPath)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 2, InterOpNumThreads = 1 };
        // Spinning threads double the latency on a shared 2-core machine.
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        preprocess = new InferenceSession(preprocessPath, options);
        resnet = new InferenceSession(resnetPath, options);
    }

    /// <summary>The 512 pooled features of one RGB planar 0..255 image of 3x224x224 bytes (the files have a fixed batch of 1).</summary>
    public float[] Features(ReadOnlySpan<byte> rgb)
    {
        var input = new DenseTensor<float>(rgb.ToArray().Select(b => (float)b).ToArray(), [1, 3, 224, 224]);
        using var prepared = preprocess.Run([NamedOnnxValue.CreateFromTensor(preprocess.InputMetadata.Keys.First(), input)]);
        var bgr = prepared.First().AsTensor<float>().ToDenseTensor();
        using var output = resnet.Run([NamedOnnxValue.CreateFromTensor(resnet.InputMetadata.Keys.First(), bgr)]);
        return output.First().AsTensor<float>().ToArray();
    }

    public void Dispose()
    {
        preprocess.Dispose();
        resnet.Dispose();
    }
}
