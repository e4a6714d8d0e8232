using Google.Protobuf;
using Onnx;
using static TorchSharp.torch;

namespace ImageClassifier.Models.Pretrained;

/// <summary>Reads an ONNX model (OnnxSharp's generated protobuf classes) with clear errors for missing or damaged files.</summary>
public static class OnnxFile
{
    public static GraphProto ReadGraph(string path)
    {
        if (!File.Exists(path)) throw new ModelException($"{path}: no such ONNX file.");
        try
        {
            using var stream = File.OpenRead(path);
            var model = ModelProto.Parser.ParseFrom(stream);
            if (model.Graph is null || model.Graph.Node.Count == 0)
                throw new ModelException($"{path}: damaged ONNX file (no graph in it).");
            return model.Graph;
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new ModelException($"{path}: damaged ONNX file ({e.Message}). Restore package {PackageFiles.PackageId} {PackageFiles.PackageVersion} again (delete it from the NuGet cache first).", e);
        }
    }

    /// <summary>A float initializer as a tensor, whether stored as raw bytes or as float_data.</summary>
    public static Tensor ToTensor(TensorProto proto)
    {
        if (proto.DataType != (int)TensorProto.Types.DataType.Float)
            throw new ModelException($"Initializer {proto.Name} holds data type {proto.DataType}, not float.");
        long[] shape = [.. proto.Dims];
        long count = shape.Aggregate(1L, (a, b) => a * b);
        float[] values = proto.RawData.Length > 0
            ? System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(proto.RawData.Span).ToArray()
            : [.. proto.FloatData];
        if (values.Length != count)
            throw new ModelException($"Initializer {proto.Name} has {values.Length} values for shape [{string.Join(", ", shape)}]: the file is damaged.");
        return tensor(values, shape);
    }
}
