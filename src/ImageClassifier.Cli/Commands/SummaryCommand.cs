using System.CommandLine;
using ImageClassifier.Cli.Infrastructure;
using ImageClassifier.Models;
using ImageClassifier.Reporting;
using ImageClassifier.Serialization;

namespace ImageClassifier.Cli.Commands;

/// <summary>imgclass summary: Keras' model.summary() for a model file or a named architecture.</summary>
public static class SummaryCommand
{
    public static Command Create()
    {
        var target = new Argument<string>("model") { Description = "A model file, or an architecture name (" + string.Join(", ", ModelRegistry.Entries.Select(e => e.Name)) + ")." };
        var inputShape = new Option<string>("--input-shape") { Description = "For an architecture: height x width x channels.", DefaultValueFactory = _ => "28x28x1" };
        var classes = new Option<int>("--classes") { Description = "For an architecture: the number of classes.", DefaultValueFactory = _ => 10 };
        var json = new Option<bool>("--json") { Description = "Print the summary as JSON." };
        var diagram = new Option<string?>("--diagram") { Description = "Also draw the architecture (Keras plot_model style, with shapes): a .svg or .png file, or a folder for model.svg and model.png." };

        var command = new Command("summary", "Print a model's layers, output shapes and parameter counts, and optionally draw its diagram.") { target, inputShape, classes, json, diagram };
        command.SetRun((parse, terminal) =>
        {
            string name = parse.GetValue(target)!;
            using var model = File.Exists(name) || Directory.Exists(name)
                ? ModelFile.Load(name)
                : new Classifier(ModelRegistry.Create(name, ParseShape(parse.GetValue(inputShape)!), parse.GetValue(classes)),
                    Enumerable.Range(0, parse.GetValue(classes)).Select(i => $"class {i}").ToArray());
            var summary = model.Summary();
            if (parse.GetValue(json))
                terminal.WriteJson(new { model = model.Spec.Architecture, layers = summary.Rows, total_params = summary.Total, trainable_params = summary.Trainable, non_trainable_params = summary.NonTrainable, trainable_from = model.Spec.TrainableFrom });
            else
            {
                terminal.Out.WriteLine(summary.ToText(model.Spec.Architecture));
                if (model.Spec.TrainableFrom is string from)
                    terminal.Out.WriteLine($"Trainable from: {from} (the parts before it are frozen; frozen batch norm runs in inference mode)");
            }
            if (parse.GetValue(diagram) is string where)
                foreach (string file in WriteDiagram(ModelDiagram.Of(model), where))
                    (parse.GetValue(json) ? terminal.Error : terminal.Out).WriteLine($"Wrote diagram: {file}");
            return 0;
        });
        return command;
    }

    /// <summary>A .svg or .png file as named; anything else is a folder that gets both.</summary>
    static IEnumerable<string> WriteDiagram(ModelDiagram diagram, string path)
    {
        string extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension is ".svg" or ".png" && !Directory.Exists(path)) return [diagram.Save(path)];
        return [diagram.Save(Path.Combine(path, "model.svg")), diagram.Save(Path.Combine(path, "model.png"))];
    }

    /// <summary>"28x28x1" (height x width x channels, as Keras writes input shapes) to [C, H, W].</summary>
    static int[] ParseShape(string text)
    {
        var parts = text.ToLowerInvariant().Split('x');
        if (parts.Length != 3 || !parts.All(p => int.TryParse(p, out int v) && v > 0))
            throw new ArgumentException($"--input-shape must be height x width x channels, e.g. 28x28x1, not '{text}'.");
        var v = parts.Select(int.Parse).ToArray();
        return [v[2], v[0], v[1]];
    }
}
