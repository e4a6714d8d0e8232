using ImageClassifier.Export.Onnx;
using ImageClassifier.Models;
using ImageClassifier.Serialization;

namespace ImageClassifier.Inference;

/// <summary>Opens a model for prediction: an exported .onnx file with ONNX Runtime, anything else as an imgclass model file with TorchSharp.</summary>
public static class ModelLoader
{
    public static bool IsOnnx(string path) => path.EndsWith(OnnxExporter.Extension, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The model at <paramref name="path"/>; <paramref name="torchDevice"/> gives the TorchSharp device (called only for
    /// model files, so that an ONNX model's --device goes to ONNX Runtime instead), <paramref name="onnx"/> the ONNX Runtime options.
    /// </summary>
    public static IImageClassifier Open(string path, Func<TorchSharp.torch.Device> torchDevice, OnnxRuntimeOptions onnx) =>
        IsOnnx(path) ? OnnxClassifier.Load(path, onnx) : ModelFile.Load(path).To(torchDevice());
}
