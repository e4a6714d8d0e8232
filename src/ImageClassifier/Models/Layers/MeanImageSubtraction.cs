using TorchSharp;
using static TorchSharp.torch;

namespace ImageClassifier.Models.Layers;

/// <summary>
/// Subtracts a per-pixel mean image [C, H, W] (CNTK/Caffe-style input normalisation, as the
/// ImageNet ResNet18 of ML.NET expects). A layer rather than part of Preprocessing because the
/// mean is 150k numbers at 224x224: it belongs with the weights (saved in the model file as the
/// buffer "mean"), moves to the device with the network, and is resized once when the model is
/// built for another input size. Built as zeros; pretrained loading (or the model file) fills it.
/// </summary>
public sealed record MeanImageSubtraction : LayerSpec
{
    public override string Kind => "MeanImage";
    public override string NameBase => "mean_image";

    public override (nn.Module<Tensor, Tensor>, int[]) Build(int[] input)
    {
        RequireImage(input, Kind);
        ParameterBudget.Claim((double)input[0] * input[1] * input[2], $"MeanImage of {Shapes.Format(input)}");
        return (new MeanImageModule(input), input);
    }
}

/// <summary>x - mean, with the mean image as a (non-trainable) buffer.</summary>
public sealed class MeanImageModule : nn.Module<Tensor, Tensor>
{
    public MeanImageModule(int[] shape) : base("MeanImage")
    {
        register_buffer("mean", zeros(1, shape[0], shape[1], shape[2]));
    }

    public Tensor Mean => get_buffer("mean")!;

    /// <summary>Sets the mean from an image of any size [C, h, w] (bilinear resize to this layer's size).</summary>
    public void SetMean(Tensor image)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var target = Mean;
        if (image.dim() == 3) image = image.unsqueeze(0);
        if (image.shape[1] != target.shape[1])
            throw new ModelException($"The mean image has {image.shape[1]} channels but the layer takes {target.shape[1]}.");
        var fitted = image.shape[2] == target.shape[2] && image.shape[3] == target.shape[3] ? image
            : nn.functional.interpolate(image.to_type(ScalarType.Float32), [target.shape[2], target.shape[3]], mode: InterpolationMode.Bilinear, align_corners: false, antialias: true);
        target.copy_(fitted);
    }

    public override Tensor forward(Tensor input) => input - Mean;
}
