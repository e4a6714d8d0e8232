using System.Buffers.Binary;
using Google.Protobuf;
using Onnx;
using static TorchSharp.torch;

namespace ImageClassifier.Export.Onnx;

/// <summary>
/// Builds an ONNX graph with OnnxSharp's generated protobuf classes (the served ONNX library; Google.Protobuf
/// writes the bytes): nodes with unique output names, and float or int64 initializers as little-endian raw data.
/// </summary>
internal sealed class OnnxGraph
{
    readonly HashSet<string> names = [];

    public GraphProto Proto { get; } = new() { Name = "imgclass" };

    /// <summary>Adds a node; its output is named after <paramref name="name"/> (made unique) and returned.</summary>
    public string Node(string opType, string name, IEnumerable<string> inputs, params AttributeProto[] attributes)
    {
        string output = Unique(name);
        var node = new NodeProto { OpType = opType, Name = output };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        Proto.Node.Add(node);
        return output;
    }

    /// <summary>A float initializer holding a copy of <paramref name="tensor"/> (any device, any float type).</summary>
    public string Initializer(string name, Tensor tensor)
    {
        using var values = tensor.detach().cpu().to_type(ScalarType.Float32).contiguous();
        return Floats(name, values.data<float>().ToArray(), values.shape);
    }

    /// <summary>A float initializer of the given shape (an empty shape is a scalar).</summary>
    public string Floats(string name, float[] values, long[] dims)
    {
        var bytes = new byte[values.Length * sizeof(float)];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
        return Add(name, TensorProto.Types.DataType.Float, dims, bytes);
    }

    /// <summary>An int64 initializer (indices, shapes).</summary>
    public string Int64s(string name, long[] values, long[] dims)
    {
        var bytes = new byte[values.Length * sizeof(long)];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * sizeof(long)), values[i]);
        return Add(name, TensorProto.Types.DataType.Int64, dims, bytes);
    }

    string Add(string name, TensorProto.Types.DataType type, long[] dims, byte[] littleEndian)
    {
        var proto = new TensorProto { Name = Unique(name), DataType = (int)type, RawData = ByteString.CopyFrom(littleEndian) };
        proto.Dims.AddRange(dims);
        Proto.Initializer.Add(proto);
        return proto.Name;
    }

    /// <summary>Declares a graph input or output: a tensor of <paramref name="type"/> whose first dimension is the batch ("batch", any size).</summary>
    public static ValueInfoProto BatchTensor(string name, TensorProto.Types.DataType type, params int[] dims)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        foreach (int d in dims) shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }

    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    public static AttributeProto Float(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    string Unique(string name)
    {
        string unique = name;
        for (int n = 1; !names.Add(unique); n++) unique = $"{name}_{n}";
        return unique;
    }
}
