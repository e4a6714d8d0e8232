using ImageClassifier.Models.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace ImageClassifier.Models;

/// <summary>A built layer: its Keras-style name, spec, module and output shape.</summary>
public sealed record Layer(string Name, LayerSpec Spec, nn.Module<Tensor, Tensor> Module, int[] OutputShape);

/// <summary>
/// A stack of layers built from a <see cref="ModelSpec"/>, each output shape inferred from the one
/// before (like keras.Sequential with an Input). Outputs logits; softmax is applied at prediction.
/// Parts can be frozen (see <see cref="Freezing"/>); frozen BatchNorm layers stay in inference mode
/// in training, as Keras keeps BatchNormalization with trainable=False (all of them with
/// ModelSpec.BatchNormInference, for fine-tuning).
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
        using var budget = ParameterBudget.Begin();
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
        if (spec.TrainableFrom is not null) this.SetTrainableFrom(spec.TrainableFrom);
    }

    public ModelSpec Spec { get; internal set; }
    public IReadOnlyList<Layer> Layers { get; }

    /// <summary>The prefix of a layer's parameters in this network's state dict.</summary>
    public static string KeyPrefix(Layer layer) => $"layers.{layer.Name}.";

    /// <summary>
    /// The layers in order. In training, a convolution's relu followed by max pooling runs after the pooling instead:
    /// relu and max commute, so outputs and gradients are the same, and the relu and its backward touch a quarter of
    /// the memory (11 MB less each way for the tutorial CNN's first layer at batch 128). Inference runs every layer as
    /// built, so forward hooks (Grad-CAM's) see each layer's own output.
    /// </summary>
    public override Tensor forward(Tensor input)
    {
        if (!training) return layers.forward(input);
        using var scope = NewDisposeScope();
        var x = input;
        for (int i = 0; i < Layers.Count; i++)
        {
            if (Layers[i].Module is Conv2D.ConvModule { EndsInRelu: true } conv
                && Layers.ElementAtOrDefault(i + 1)?.Module is TorchSharp.Modules.MaxPool2d pool)
            {
                // In place: max pooling's backward needs its input and indices, not its output.
                x = pool.call(conv.Forward(x, activate: false)).relu_();
                i++;
            }
            else
                x = Layers[i].Module.call(x);
        }
        return x.MoveToOuterDisposeScope();
    }

    /// <summary>Runs layers [from, to) only: the base up to cached features, or the head on them.</summary>
    public Tensor Forward(Tensor input, int from, int to)
    {
        using var scope = NewDisposeScope();
        var x = input;
        for (int i = from; i < to; i++) x = Layers[i].Module.forward(x);
        return (ReferenceEquals(x, input) ? x.alias() : x).MoveToOuterDisposeScope();
    }

    public override void train(bool on = true)
    {
        base.train(on);
        if (!on) return;
        foreach (var (_, module) in named_modules())
            if (module is TorchSharp.Modules.BatchNorm1d or TorchSharp.Modules.BatchNorm2d
                && (Spec.BatchNormInference || module.parameters().Any() && module.parameters().All(p => !p.requires_grad)))
                module.eval();
    }
}
