using System.CommandLine;
using ImageClassifier.Cli.Infrastructure;
using ImageClassifier.Export.Onnx;
using ImageClassifier.Serialization;

namespace ImageClassifier.Cli.Commands;

/// <summary>imgclass export: a model file as ONNX (opset 17, dynamic batch, class names and preprocessing in its metadata).</summary>
public static class ExportCommand
{
    public static Command Create()
    {
        var modelPath = new Argument<string>("model") { Description = "The model file (or the training output folder holding model.imgclass)." };
        var format = new Option<string>("--format") { Description = "The format to write: onnx.", DefaultValueFactory = _ => "onnx" };
        format.AcceptOnlyFromAmong("onnx");
        var output = new Option<string?>("--output", "-o") { Description = "The file to write (default: the model's path with .onnx)." };
        var preprocessing = new Option<bool>("--include-preprocessing") { Description = "Put scaling, channel order and mean/std subtraction in the graph: the model takes raw uint8 pixels [N, C, H, W]." };
        var softmax = new Option<bool>("--softmax") { Description = "Append a softmax: the model outputs class probabilities instead of logits." };
        var json = new Option<bool>("--json") { Description = "Print a machine-readable JSON result on stdout." };

        var command = new Command("export", "Export a trained model to ONNX, for ONNX Runtime, ML.NET, PyTorch or any other ONNX consumer.") { modelPath };
        foreach (var option in new Option[] { format, output, preprocessing, softmax, json }) command.Options.Add(option);
        command.SetRun((parse, terminal) =>
        {
            string source = parse.GetValue(modelPath)!;
            using var model = ModelFile.Load(source);
            string target = parse.GetValue(output) ?? DefaultOutput(source);
            var info = OnnxExporter.Export(model, target, new OnnxExportOptions(parse.GetValue(preprocessing), parse.GetValue(softmax)));
            string input = $"{info.InputName} {(info.PreprocessingInGraph ? "uint8" : "float32")} [batch, {info.InputShape.Channels}, {info.InputShape.Height}, {info.InputShape.Width}]";
            string outputs = $"{info.OutputName} [batch, {info.ClassNames.Count}]";
            if (parse.GetValue(json))
                terminal.WriteJson(new { file = Path.GetFullPath(target), input, output = outputs, opset = OnnxExportOptions.Opset, preprocessing_in_graph = info.PreprocessingInGraph,
                    classes = info.ClassNames, bytes = new FileInfo(target).Length });
            else
                terminal.Out.WriteLine($"Wrote {target} ({new FileInfo(target).Length / 1e6:0.0} MB, ONNX opset {OnnxExportOptions.Opset}): input {input}, output {outputs}" +
                    (info.PreprocessingInGraph ? "" : $"; preprocess inputs as {info.Preprocessing}"));
            return 0;
        });
        return command;
    }

    /// <summary>run/model.imgclass gives run/model.onnx; a training output folder gives model.onnx inside it.</summary>
    static string DefaultOutput(string source) =>
        Directory.Exists(source) ? Path.Combine(source, "model" + OnnxExporter.Extension) : Path.ChangeExtension(source, OnnxExporter.Extension);
}
