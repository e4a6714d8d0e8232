using TorchSharp;
using static TorchSharp.torch;

namespace ImageClassifier.Models.Layers;

/// <summary>Max pooling ("valid": windows that do not fit are dropped, as in Keras).</summary>
public sealed record MaxPool2D(int PoolSize = 2, int? Stride = null) : LayerSpec
{
    public override string Kind => "MaxPooling2D";
    public override string NameBase => "max_pooling2d";

    public override (nn.Module<Tensor, Tensor>, int[]) Build(int[] input) =>
        Pooled(input, Kind, PoolSize, Stride ?? PoolSize, (k, s) => nn.MaxPool2d(k, s));

    internal static (nn.Module<Tensor, Tensor>, int[]) Pooled(int[] input, string kind, int pool, int stride,
        Func<long, long, nn.Module<Tensor, Tensor>> create)
    {
        RequireImage(input, kind);
        int height = (input[1] - pool) / stride + 1, width = (input[2] - pool) / stride + 1;
        if (pool < 1 || stride < 1 || height < 1 || width < 1)
            throw new ModelException($"{kind} of size {pool} does not fit its input {Shapes.Format(input)}.");
        return (create(pool, stride), [input[0], height, width]);
    }
}

/// <summary>Average pooling ("valid").</summary>
public sealed record AvgPool2D(int PoolSize = 2, int? Stride = null) : LayerSpec
{
    public override string Kind => "AveragePooling2D";
    public override string NameBase => "average_pooling2d";

    public override (nn.Module<Tensor, Tensor>, int[]) Build(int[] input) =>
        MaxPool2D.Pooled(input, Kind, PoolSize, Stride ?? PoolSize, (k, s) => nn.AvgPool2d(k, s));
}

/// <summary>Averages each channel over height and width: [C, H, W] to [C].</summary>
public sealed record GlobalAveragePool : LayerSpec
{
    public override string Kind => "GlobalAveragePooling2D";
    public override string NameBase => "global_average_pooling2d";

    public override (nn.Module<Tensor, Tensor>, int[]) Build(int[] input)
    {
        RequireImage(input, Kind);
        return (nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten()), [input[0]]);
    }
}

/// <summary>Flattens an image to a vector (channels-first order).</summary>
public sealed record Flatten : LayerSpec
{
    public override string Kind => "Flatten";

    public override (nn.Module<Tensor, Tensor>, int[]) Build(int[] input) =>
        (nn.Flatten(), [Shapes.Product(input)]);
}

/// <summary>Takes each channel's largest value over height and width: [C, H, W] to [C].</summary>
public sealed record GlobalMaxPool : LayerSpec
{
    public override string Kind => "GlobalMaxPooling2D";
    public override string NameBase => "global_max_pooling2d";

    public override (nn.Module<Tensor, Tensor>, int[]) Build(int[] input)
    {
        RequireImage(input, Kind);
        return (nn.Sequential(nn.AdaptiveMaxPool2d([1, 1]), nn.Flatten()), [input[0]]);
    }
}
