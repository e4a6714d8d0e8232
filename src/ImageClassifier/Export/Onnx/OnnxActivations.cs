using ImageClassifier.Models;
using ImageClassifier.Models.Layers;
using static ImageClassifier.Export.Onnx.OnnxGraph;

namespace ImageClassifier.Export.Onnx;

/// <summary>The project's activations (Keras names, see <see cref="Activations"/>) as opset-17 ONNX nodes.</summary>
internal static class OnnxActivations
{
    /// <summary>Applies <paramref name="function"/> to <paramref name="x"/>; none or "linear" returns x unchanged.</summary>
    public static string Add(OnnxGraph graph, string layer, string x, string? function)
    {
        string node = $"{layer}/{function?.ToLowerInvariant()}";
        switch (function?.ToLowerInvariant())
        {
            case null or "" or "linear": return x;
            case "relu": return graph.Node("Relu", node, [x]);
            case "sigmoid": return graph.Node("Sigmoid", node, [x]);
            case "tanh": return graph.Node("Tanh", node, [x]);
            case "softmax": return graph.Node("Softmax", node, [x], Int("axis", 1));
            case "elu": return graph.Node("Elu", node, [x], Float("alpha", 1f));
            case "selu": return graph.Node("Selu", node, [x]); // ONNX's default alpha and gamma are PyTorch's
            case "leaky_relu": return graph.Node("LeakyRelu", node, [x], Float("alpha", 0.2f));
            case "silu" or "swish": return graph.Node("Mul", node, [x, graph.Node("Sigmoid", node + "/sigmoid", [x])]);
            case "gelu":
                // Gelu is an operator only from opset 20: the exact (erf) form, as TorchSharp's GELU computes it.
                string scaled = graph.Node("Div", node + "/div", [x, graph.Floats(node + "/sqrt2", [MathF.Sqrt(2f)], [])]);
                string onePlus = graph.Node("Add", node + "/add", [graph.Node("Erf", node + "/erf", [scaled]), graph.Floats(node + "/one", [1f], [])]);
                string half = graph.Node("Mul", node + "/half", [x, graph.Floats(node + "/0.5", [0.5f], [])]);
                return graph.Node("Mul", node, [half, onePlus]);
            default:
                throw new ModelException($"Layer '{layer}': activation '{function}' cannot be exported to ONNX (known: {string.Join(", ", Activations.Names)}).");
        }
    }
}
