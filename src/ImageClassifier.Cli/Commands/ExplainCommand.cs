using System.CommandLine;
using ImageClassifier.Cli.Infrastructure;
using ImageClassifier.Evaluation.Explain;
using ImageClassifier.Reporting;
using ImageClassifier.Serialization;
using Spectre.Console;

namespace ImageClassifier.Cli.Commands;

/// <summary>imgclass explain: Grad-CAM panels (image | heatmap | overlay) for image files.</summary>
public static class ExplainCommand
{
    public static Command Create()
    {
        var modelPath = new Argument<string>("model") { Description = "The model file (or the training output folder holding model.imgclass)." };
        var inputs = new Argument<string[]>("images") { Description = "Image files or folders (searched recursively).", Arity = ArgumentArity.OneOrMore };
        var layer = new Option<string?>("--layer") { Description = "The convolution layer to explain from (default: the last one)." };
        var @class = new Option<string?>("--class") { Description = "The class to explain, by name or index (default: each image's predicted class)." };
        var method = new Option<string>("--method") { Description = "gradcam or gradcam++.", DefaultValueFactory = _ => "gradcam" };
        method.AcceptOnlyFromAmong("gradcam", "gradcam++");
        var colorMap = new Option<string>("--colormap") { Description = "jet or viridis.", DefaultValueFactory = _ => "jet" };
        colorMap.AcceptOnlyFromAmong("jet", "viridis");
        var alpha = new Option<double>("--alpha") { Description = "The heatmap's weight in the overlay, 0 to 1.", DefaultValueFactory = _ => 0.4 };
        var output = new Option<string>("--output", "-o") { Description = "The folder the panels are written to.", DefaultValueFactory = _ => "." };
        var strict = new Option<bool>("--strict") { Description = "Stop at the first file that cannot be decoded instead of skipping it." };
        var runtime = new RuntimeOptions();

        var command = new Command("explain", "Show where a model looks: Grad-CAM heatmaps over images, one PNG panel per image.")
            { modelPath, inputs, layer, @class, method, colorMap, alpha, output, strict };
        runtime.AddTo(command, seed: false);
        command.SetRun((parse, terminal) =>
        {
            var device = runtime.Apply(parse);
            using var model = ModelFile.Load(parse.GetValue(modelPath)!).To(device);
            var options = new ExplainOptions(
                parse.GetValue(layer),
                parse.GetValue(@class) is string c ? GradCam.ResolveClass(model, c) : null,
                CamMethods.Parse(parse.GetValue(method)!),
                ColorMaps.Parse(parse.GetValue(colorMap)!),
                parse.GetValue(alpha));
            options.Validate();

            var (explained, skipped) = model.ExplainFiles(parse.GetValue(inputs) ?? [], options, parse.GetValue(strict));
            foreach (var file in skipped) terminal.Error.WriteLine($"warning: skipped {file.Path}: {file.Reason}");
            if (explained.Count == 0) throw new ArgumentException("None of the inputs is an image the model could read.");

            string folder = parse.GetValue(output)!;
            Directory.CreateDirectory(folder);
            var names = new PanelNames(folder);
            var written = explained.Select(e =>
            {
                string path = names.For(e.Source);
                IO.AtomicFile.WriteAllBytes(path, ExplanationPanel.RenderPng(e, options));
                return (Explained: e, Panel: path);
            }).ToList();

            if (parse.GetValue(runtime.Json))
                terminal.WriteJson(written.Select(w => new
                {
                    source = w.Explained.Source, predicted = w.Explained.Explanation.Predicted.Name, probability = w.Explained.Explanation.Predicted.Probability,
                    @class = w.Explained.Explanation.Class.Name, class_probability = w.Explained.Explanation.Class.Probability,
                    layer = w.Explained.Explanation.Layer, method = w.Explained.Explanation.Method.OptionName(), panel = w.Panel, note = w.Explained.Note,
                }));
            else
            {
                var table = new Table().AddColumns("Image", "Prediction", "Explained", "Panel");
                foreach (var (e, panel) in written)
                    table.AddRow(Markup.Escape(e.Source + (e.Note is null ? "" : $" ({e.Note})")),
                        Markup.Escape($"{e.Explanation.Predicted.Name} {e.Explanation.Predicted.Probability:P1}"),
                        Markup.Escape($"{e.Explanation.Class.Name} ({e.Explanation.Method.DisplayName()}, {e.Explanation.Layer})"), Markup.Escape(panel));
                terminal.Render(table);
            }
            return 0;
        });
        return command;
    }

    /// <summary>"&lt;image&gt;-gradcam.png" in the output folder, numbered when two images share a name.</summary>
    sealed class PanelNames(string folder)
    {
        readonly HashSet<string> used = new(StringComparer.OrdinalIgnoreCase);

        public string For(string source)
        {
            string stem = Path.GetFileNameWithoutExtension(source);
            string name = $"{stem}-gradcam.png";
            for (int n = 2; !used.Add(name); n++) name = $"{stem}-{n}-gradcam.png";
            return Path.Combine(folder, name);
        }
    }
}
