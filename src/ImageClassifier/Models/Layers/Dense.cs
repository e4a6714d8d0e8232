using TorchSharp;
using static TorchSharp.torch;

namespace ImageClassifier.Models.Layers;

/// <summary>A fully connected layer with an optional activation.</summary>
public sealed record Dense(int Units, string? Activation = null) : LayerSpec
{
    public override string Kind => "Dense";

    public override long MultiplyAdds(int[] input) => (long)Shapes.Product(input) * Units;

    public override (nn.Module<Tensor, Tensor>, int[]) Build(int[] input)
    {
        if (input.Length != 1)
            throw new ModelException($"Dense needs a vector input, but its input has shape {Shapes.Format(input)}; add Flatten or GlobalAveragePooling2D before it.");
        if (Units < 1) throw new ModelException($"Dense needs at least one unit (got {Units}).");
        ParameterBudget.Claim((input[0] + 1.0) * Units, $"Dense({Units}) on {input[0]:N0} inputs");
        var linear = nn.Linear(input[0], Units);
        var activation = Activations.Create(Activation);
        return (activation is null ? linear : nn.Sequential(("linear", linear), ("activation", activation)), [Units]);
    }
}

/// <summary>Zeroes a fraction of the inputs in training; the identity at inference.</summary>
public sealed record Dropout(double Rate) : LayerSpec
{
    public override string Kind => "Dropout";

    public override (nn.Module<Tensor, Tensor>, int[]) Build(int[] input)
    {
        if (Rate is < 0 or >= 1) throw new ModelException($"Dropout rate must be in [0, 1), not {Rate}.");
        return (nn.Dropout(Rate), input);
    }
}

/// <summary>Batch normalisation over channels (images) or features (vectors), with Keras' defaults.</summary>
public sealed record BatchNorm(double Momentum = 0.99, double Epsilon = 1e-3) : LayerSpec
{
    public override string Kind => "BatchNormalization";
    public override string NameBase => "batch_normalization";

    // Keras' momentum weighs the old running value; PyTorch's weighs the new batch.
    public override (nn.Module<Tensor, Tensor>, int[]) Build(int[] input)
    {
        if (input.Length is 1 or 3) ParameterBudget.Claim(4.0 * input[0], $"BatchNormalization of {input[0]:N0} channels");
        return Build2(input);
    }

    (nn.Module<Tensor, Tensor>, int[]) Build2(int[] input) => input.Length switch
    {
        3 => (nn.BatchNorm2d(input[0], Epsilon, 1 - Momentum), input),
        1 => (nn.BatchNorm1d(input[0], Epsilon, 1 - Momentum), input),
        _ => throw new ModelException($"BatchNormalization cannot take an input of shape {Shapes.Format(input)}."),
    };
}
