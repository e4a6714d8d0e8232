using ImageClassifier.Models.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace ImageClassifier.Models;

/// <summary>A built layer: its Keras-style name, spec, module and output shape.</summary>
public sealed record Layer(string Name, LayerSpec Spec, nn.Module<Tensor, Tensor> Module, int[] OutputShape);

/// <summary>
/// A stack of layers built from a <see cref="ModelSpec"/>, each output shape inferred from the one
/// before (like keras.Sequential with an Input). Outputs logits; softmax is applied at prediction.
/// </summary>
public sealed class SequentialNetwork : nn.Module<Tensor, Tensor>
{
    readonly nn.Module<Tensor, Tensor> layers;

    public SequentialNetwork(ModelSpec spec) : base("Sequential")
    {
        if (spec.InputShape.Length != 3 || spec.InputShape.Any(d => d < 1))
            throw new ModelException($"Input shape must be channels, height, width (all positive), not [{string.Join(", ", spec.InputShape)}].");
        Spec = spec;
        var built = new List<Layer>();
        var counters = new Dictionary<string, int>();
        int[] shape = spec.InputShape;
        foreach (var layerSpec in spec.Layers)
        {
            var (module, output) = layerSpec.Build(shape);
            int n = counters.GetValueOrDefault(layerSpec.NameBase);
            counters[layerSpec.NameBase] = n + 1;
            built.Add(new Layer(n == 0 ? layerSpec.NameBase : $"{layerSpec.NameBase}_{n}", layerSpec, module, output));
            shape = output;
        }
        if (shape.Length != 1 || shape[0] != spec.ClassCount)
            throw new ModelException($"The last layer outputs {Shapes.Format(shape)}, but the model needs one score per class ({spec.ClassCount}).");
        Layers = built;
        layers = nn.Sequential(built.Select(l => (l.Name, (nn.Module<Tensor, Tensor>)l.Module)).ToArray());
        RegisterComponents();
    }

    public ModelSpec Spec { get; }
    public IReadOnlyList<Layer> Layers { get; }

    public override Tensor forward(Tensor input) => layers.forward(input);
}
