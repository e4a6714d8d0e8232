using ImageClassifier.Models;
using ImageClassifier.Models.Layers;
using ImageClassifier.IO;

namespace ImageClassifier.Reporting;

/// <summary>A layer as the diagram shows it: Keras' name and class name, and its input and output shapes.</summary>
public sealed record DiagramNode(string Name, string Kind, string InputShape, string OutputShape)
{
    public string Label => $"{Name} ({Kind})";
}

/// <summary>
/// The architecture drawn like Keras' plot_model(show_shapes=True): one box per layer, "name (Type)"
/// with its input and output shapes, joined top to bottom by arrows, as SVG and as PNG. The nodes
/// come from the built network, so any layer a <see cref="SequentialNetwork"/> holds is drawn,
/// including kinds added later.
/// </summary>
public sealed class ModelDiagram
{
    public ModelDiagram(string title, IReadOnlyList<DiagramNode> nodes)
    {
        Title = title;
        Nodes = nodes;
    }

    public string Title { get; }
    public IReadOnlyList<DiagramNode> Nodes { get; }

    /// <summary>The diagram of a network: an input node, then each layer, each taking the shape the one before gives.</summary>
    public static ModelDiagram Of(SequentialNetwork network, string? title = null)
    {
        string input = Shapes.Format(network.Spec.InputShape);
        var nodes = new List<DiagramNode> { new("input_layer", "InputLayer", input, input) };
        foreach (var layer in network.Layers)
        {
            string output = Shapes.Format(layer.OutputShape);
            nodes.Add(new DiagramNode(layer.Name, layer.Spec.Kind, input, output));
            input = output;
        }
        return new ModelDiagram(title ?? network.Spec.Architecture, nodes);
    }

    public static ModelDiagram Of(Classifier model) => Of(model.Network, model.Spec.Architecture);

    /// <summary>
    /// The diagram as SVG text. <paramref name="standalone"/> gives a file (XML declaration and SVG
    /// namespace); without it, an &lt;svg&gt; element to put inline in HTML, which needs neither.
    /// </summary>
    public string ToSvg(bool standalone = true) => DiagramSvg.Write(DiagramLayout.Of(this), standalone);

    /// <summary>The same drawing as PNG, <paramref name="scale"/> times the SVG's size (2 for sharp text on high-DPI screens).</summary>
    public byte[] ToPng(float scale = 2) => DiagramPng.Draw(DiagramLayout.Of(this), scale);

    /// <summary>The size of the SVG in pixels (the PNG is <c>scale</c> times it).</summary>
    public (int Width, int Height) Size
    {
        get
        {
            var layout = DiagramLayout.Of(this);
            return ((int)layout.Width, (int)layout.Height);
        }
    }

    /// <summary>Writes an .svg or .png file (by its extension) and returns its full path.</summary>
    public string Save(string path)
    {
        string extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension == ".png") return Png.Write(path, ToPng());
        if (extension != ".svg") throw new ArgumentException($"A diagram is saved as .svg or .png, not '{Path.GetFileName(path)}'.");
        string full = Path.GetFullPath(path);
        AtomicFile.WriteAllText(full, ToSvg());
        return full;
    }
}
