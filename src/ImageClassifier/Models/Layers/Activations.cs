using TorchSharp;
using static TorchSharp.torch;

namespace ImageClassifier.Models.Layers;

/// <summary>Activation functions by their Keras names.</summary>
public static class Activations
{
    public static readonly string[] Names = ["linear", "relu", "sigmoid", "tanh", "softmax", "gelu", "elu", "selu", "silu", "swish", "leaky_relu"];

    public static nn.Module<Tensor, Tensor>? Create(string? name) => name?.ToLowerInvariant() switch
    {
        null or "" or "linear" => null,
        "relu" => nn.ReLU(),
        "sigmoid" => nn.Sigmoid(),
        "tanh" => nn.Tanh(),
        "softmax" => nn.Softmax(1),
        "gelu" => nn.GELU(),
        "elu" => nn.ELU(),
        "selu" => nn.SELU(),
        "silu" or "swish" => nn.SiLU(),
        "leaky_relu" => nn.LeakyReLU(0.2),
        _ => throw new ModelException($"Unknown activation '{name}'. Known: {string.Join(", ", Names)}."),
    };
}

/// <summary>A standalone activation layer.</summary>
public sealed record Activation(string Function) : LayerSpec
{
    public override string Kind => "Activation";

    public override (nn.Module<Tensor, Tensor>, int[]) Build(int[] input) =>
        (Activations.Create(Function) ?? nn.Identity(), input);
}
