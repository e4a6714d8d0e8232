using ImageClassifier.Export.Onnx;
using ImageClassifier.Imaging;
using ImageClassifier.Models;
using Microsoft.ML.OnnxRuntime;
using static TorchSharp.torch;

namespace ImageClassifier.Inference;

/// <summary>
/// An exported model (imgclass export --format onnx) run by ONNX Runtime: the same <see cref="IImageClassifier"/> as the
/// TorchSharp classifier, so predict and evaluate treat both alike, but with no libtorch in the forward pass. Images are
/// fitted to the input and, when the graph does not hold the preprocessing, preprocessed as its metadata says.
/// </summary>
public sealed class OnnxClassifier : IImageClassifier
{
    readonly InferenceSession session;
    readonly RunOptions run = new();

    OnnxClassifier(InferenceSession session, OnnxModelInfo info, string path, string provider)
    {
        this.session = session;
        Info = info;
        Path = path;
        ExecutionProvider = provider;
    }

    /// <summary>Opens an exported model; <paramref name="options"/> choose the device (cpu, cuda, cuda:N, auto) and threads.</summary>
    public static OnnxClassifier Load(string path, OnnxRuntimeOptions? options = null)
    {
        options ??= new OnnxRuntimeOptions();
        if (!File.Exists(path)) throw new ModelException($"{path}: no such ONNX file. Export one with `imgclass export MODEL --format onnx`.");
        using var sessionOptions = options.Create(out string provider);
        InferenceSession session;
        try { session = new InferenceSession(path, sessionOptions); }
        catch (OnnxRuntimeException e)
        {
            throw new ModelException($"{path}: not a valid ONNX model, or it is damaged ({e.Message.Trim()}).", e);
        }
        try
        {
            var info = OnnxMetadata.Read(session.ModelMetadata.CustomMetadataMap, path);
            if (!session.InputMetadata.ContainsKey(info.InputName) || !session.OutputMetadata.ContainsKey(info.OutputName))
                throw new ModelException($"{path}: its metadata names input '{info.InputName}' and output '{info.OutputName}', but the graph has " +
                    $"inputs {string.Join(", ", session.InputMetadata.Keys)} and outputs {string.Join(", ", session.OutputMetadata.Keys)}: the file was altered.");
            return new OnnxClassifier(session, info, path, provider);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    public OnnxModelInfo Info { get; }
    public string Path { get; }

    /// <summary>The ONNX Runtime execution provider the model runs on (CPUExecutionProvider or CUDAExecutionProvider).</summary>
    public string ExecutionProvider { get; }

    public IReadOnlyList<string> ClassNames => Info.ClassNames;
    public ImageShape InputShape => Info.InputShape;
    public string? TrainedOn => Info.TrainedOn;

    public Tensor PredictLogits(Tensor bytes)
    {
        using var scope = NewDisposeScope();
        var output = Run(bytes);
        // A model exported with its softmax gives probabilities: their logarithms serve as logits (softmax maps them back).
        return (Info.OutputsProbabilities ? output.clamp_min_(1e-30f).log_() : output).MoveToOuterDisposeScope();
    }

    public Tensor PredictProbabilities(Tensor bytes)
    {
        using var scope = NewDisposeScope();
        var output = Run(bytes);
        return (Info.OutputsProbabilities ? output : output.softmax(1)).MoveToOuterDisposeScope();
    }

    /// <summary>The graph's output [N, classes] on the CPU for a uint8 batch [N, C, H, W].</summary>
    Tensor Run(Tensor bytes)
    {
        var fitted = InputFitting.Fit(bytes.cpu(), InputShape);
        long[] shape = [.. fitted.shape];
        using var input = Info.PreprocessingInGraph
            ? OrtValue.CreateTensorValueFromMemory(fitted.data<byte>().ToArray(), shape)
            : OrtValue.CreateTensorValueFromMemory(Info.Preprocessing.Apply(fitted).contiguous().data<float>().ToArray(), shape);
        using var outputs = session.Run(run, [Info.InputName], [input], [Info.OutputName]);
        return tensor(outputs[0].GetTensorDataAsSpan<float>().ToArray(), [shape[0], ClassNames.Count]);
    }

    public void Dispose()
    {
        run.Dispose();
        session.Dispose();
    }
}
