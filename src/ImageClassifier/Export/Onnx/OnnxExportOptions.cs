namespace ImageClassifier.Export.Onnx;

/// <summary>
/// How a model is written as ONNX. <see cref="IncludePreprocessing"/> puts the model's preprocessing (uint8 to
/// float, channel order, scale, per-channel mean and std) in the graph, so that it takes raw uint8 pixels
/// [N, C, H, W]; without it the input is the preprocessed float tensor and the metadata says how to make it.
/// <see cref="Softmax"/> appends a softmax, so the output is class probabilities instead of logits.
/// </summary>
public sealed record OnnxExportOptions(bool IncludePreprocessing = false, bool Softmax = false)
{
    /// <summary>The ONNX operator set the graph is written for (ONNX Runtime 1.14 and later, PyTorch 2, ML.NET run it).</summary>
    public const int Opset = 17;

    /// <summary>ONNX IR version 8: what opset 17 was released with, so older runtimes accept the file too.</summary>
    public const int IrVersion = 8;
}
