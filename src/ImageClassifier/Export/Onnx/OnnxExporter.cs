using Google.Protobuf;
using ImageClassifier.Models;
using Onnx;
using static ImageClassifier.Export.Onnx.OnnxGraph;

namespace ImageClassifier.Export.Onnx;

/// <summary>
/// Writes a <see cref="Classifier"/> as an ONNX model (opset 17, IR 8) that ONNX Runtime, ML.NET, PyTorch and
/// every other ONNX consumer can run: the network in inference form, a dynamic batch dimension, and the class
/// names, preprocessing and project version in its metadata (<see cref="OnnxMetadata"/>). TorchSharp has no ONNX
/// exporter, so the graph is written layer by layer (<see cref="OnnxLayers"/>) with OnnxSharp's protobuf classes.
/// </summary>
public static class OnnxExporter
{
    public const string Extension = ".onnx";

    /// <summary>Exports <paramref name="model"/> to <paramref name="path"/> (written to a temporary file and moved into place).</summary>
    public static OnnxModelInfo Export(Classifier model, string path, OnnxExportOptions? options = null)
    {
        var (proto, info) = Build(model, options ?? new OnnxExportOptions());
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string temp = full + $".{Environment.ProcessId}.tmp";
        try
        {
            using (var stream = File.Create(temp)) proto.WriteTo(stream);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
        return info;
    }

    /// <summary>The ONNX model for <paramref name="model"/>, and what its metadata says.</summary>
    public static (ModelProto Model, OnnxModelInfo Info) Build(Classifier model, OnnxExportOptions options)
    {
        var info = new OnnxModelInfo(model.Spec.Architecture, model.ClassNames, model.InputShape, model.Preprocessing,
            options.IncludePreprocessing, options.Softmax, OnnxMetadata.ProjectVersion, model.Training?.Dataset);
        var graph = new OnnxGraph();
        int[] shape = model.Spec.InputShape;
        string x;
        if (options.IncludePreprocessing)
        {
            graph.Proto.Input.Add(BatchTensor(OnnxMetadata.PixelsInput, TensorProto.Types.DataType.Uint8, shape));
            x = OnnxPreprocessing.Add(graph, OnnxMetadata.PixelsInput, model.Preprocessing, shape[0]);
        }
        else
        {
            graph.Proto.Input.Add(BatchTensor(OnnxMetadata.FloatInput, TensorProto.Types.DataType.Float, shape));
            x = OnnxMetadata.FloatInput;
        }

        var layers = new OnnxLayers(graph);
        foreach (var layer in model.Network.Layers)
        {
            x = layers.Add(layer, x, shape);
            shape = layer.OutputShape;
        }
        x = options.Softmax
            ? graph.Node("Softmax", OnnxMetadata.ProbabilitiesOutput, [x], Int("axis", 1))
            : graph.Node("Identity", OnnxMetadata.LogitsOutput, [x]);
        graph.Proto.Output.Add(BatchTensor(x, TensorProto.Types.DataType.Float, model.ClassNames.Count));

        var proto = new ModelProto
        {
            IrVersion = OnnxExportOptions.IrVersion,
            ProducerName = "ImageClassifier",
            ProducerVersion = OnnxMetadata.ProjectVersion,
            DocString = $"{model.Spec.Architecture} image classifier exported by imgclass: input {info.InputName} " +
                (options.IncludePreprocessing ? "uint8" : "float32 (preprocessed)") + $" [batch, {string.Join(", ", model.Spec.InputShape)}], " +
                $"output {info.OutputName} [batch, {model.ClassNames.Count}]; class names and preprocessing in metadata_props.",
            Graph = graph.Proto,
        };
        proto.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OnnxExportOptions.Opset });
        proto.MetadataProps.AddRange(OnnxMetadata.Entries(info).Select(e => new StringStringEntryProto { Key = e.Key, Value = e.Value }));
        return (proto, info);
    }
}
