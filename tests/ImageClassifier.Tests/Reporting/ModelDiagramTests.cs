using System.Xml.Linq;
using ImageClassifier.Imaging;
using ImageClassifier.Models;
using ImageClassifier.Models.Layers;
using ImageClassifier.Reporting;
using TorchSharp;
using static TorchSharp.torch;

namespace ImageClassifier.Tests.Reporting;

/// <summary>The Keras-style diagram names every layer with its shapes, as SVG that parses and as a PNG of the same layout.</summary>
public class ModelDiagramTests
{
    /// <summary>A layer kind the library does not have, as a user (or a later version) might add one.</summary>
    sealed record Rescale(double Factor) : LayerSpec
    {
        public override string Kind => "Rescaling";
        public override (nn.Module<Tensor, Tensor> Module, int[] Output) Build(int[] input) => (nn.Identity(), input);
    }

    static SequentialNetwork EveryLayer() => new(new ModelSpec("every-layer", [3, 32, 32], 5,
    [
        new Rescale(1 / 255.0), new Conv2D(8, Padding: "same", Activation: "relu"), new BatchNorm(), new Activation("relu"),
        new MaxPool2D(), new AvgPool2D(), new Conv2D(8), new GlobalAveragePool(), new Dropout(0.2), new Dense(16, "relu"), new Dense(5),
    ]));

    [Fact]
    public void Nodes_follow_the_network_from_its_input()
    {
        using var network = EveryLayer();
        var diagram = ModelDiagram.Of(network);
        Assert.Equal("every-layer", diagram.Title);
        Assert.Equal(network.Layers.Count + 1, diagram.Nodes.Count);
        Assert.Equal(new DiagramNode("input_layer", "InputLayer", "(None, 32, 32, 3)", "(None, 32, 32, 3)"), diagram.Nodes[0]);
        Assert.Equal(new DiagramNode("rescaling", "Rescaling", "(None, 32, 32, 3)", "(None, 32, 32, 3)"), diagram.Nodes[1]);
        Assert.Equal(new DiagramNode("conv2d_1", "Conv2D", "(None, 8, 8, 8)", "(None, 6, 6, 8)"), diagram.Nodes[7]);
        Assert.Equal(new DiagramNode("dense_1", "Dense", "(None, 16)", "(None, 5)"), diagram.Nodes[^1]);
        for (int i = 1; i < diagram.Nodes.Count; i++) Assert.Equal(diagram.Nodes[i - 1].OutputShape, diagram.Nodes[i].InputShape);
    }

    [Fact]
    public void Svg_parses_and_names_every_layer_with_its_shapes()
    {
        using var network = EveryLayer();
        var diagram = ModelDiagram.Of(network);
        var svg = XDocument.Parse(diagram.ToSvg());
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal(ns + "svg", svg.Root!.Name);
        var texts = svg.Descendants(ns + "text").Select(t => t.Value).ToList();
        foreach (var node in diagram.Nodes)
        {
            Assert.Contains($"{node.Name} ({node.Kind})", texts);
            Assert.Contains(node.OutputShape, texts);
        }
        Assert.Equal(diagram.Nodes.Count, svg.Descendants(ns + "g").Count(g => (string?)g.Attribute("class") == "layer"));
        Assert.Equal(diagram.Nodes.Count - 1, svg.Descendants(ns + "line").Count(l => l.Attribute("marker-end") is not null));
        var (width, height) = diagram.Size;
        Assert.Equal(width.ToString(), (string?)svg.Root.Attribute("width"));
        Assert.Equal(height.ToString(), (string?)svg.Root.Attribute("height"));
    }

    [Fact]
    public void Inline_svg_has_no_namespace_url_and_names_are_escaped()
    {
        var diagram = new ModelDiagram("<script>alert(1)</script>", [new DiagramNode("a<b>&c", "Odd\"Type", "(None, 1)", "(None, 2)")]);
        string inline = diagram.ToSvg(standalone: false);
        Assert.DoesNotContain("http", inline);
        Assert.DoesNotContain("<script>", inline);
        var parsed = XElement.Parse(inline);
        Assert.Contains("a<b>&c (Odd\"Type)", parsed.Descendants("text").Select(t => t.Value));
    }

    [Fact]
    public void Png_draws_the_same_layout_at_twice_the_size()
    {
        using var network = EveryLayer();
        var diagram = ModelDiagram.Of(network);
        var (width, height) = diagram.Size;
        PngAssert.Picture(diagram.ToPng(), "model-diagram", 2 * width, 2 * height, minColours: 16, minInk: 0.1);
        PngAssert.Picture(diagram.ToPng(scale: 1), "model-diagram-1x", width, height, minColours: 16, minInk: 0.1);
    }

    [Fact]
    public void Saves_svg_or_png_by_extension()
    {
        using var dir = new TestSupport.TempDirectory();
        using var model = Classifier.Create("tutorial-cnn", new ImageShape(1, 28, 28), Enumerable.Range(0, 10).Select(i => $"c{i}").ToArray());
        var diagram = ModelDiagram.Of(model);
        Assert.Equal("tutorial-cnn", diagram.Title);
        string svg = diagram.Save(dir.File("out/model.svg"));
        Assert.StartsWith("<?xml", File.ReadAllText(svg));
        string png = diagram.Save(dir.File("out/model.PNG"));
        PngAssert.Picture(File.ReadAllBytes(png), "tutorial-cnn-diagram", minColours: 16, minInk: 0.1);
        Assert.Throws<ArgumentException>(() => diagram.Save(dir.File("model.pdf")));
    }
}
