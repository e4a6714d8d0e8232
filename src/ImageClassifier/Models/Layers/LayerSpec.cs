using System.Text.Json.Serialization;
using TorchSharp;
using static TorchSharp.torch;

namespace ImageClassifier.Models.Layers;

/// <summary>
/// One layer of a Sequential model, as plain data: saved in the model file and rebuilt from it.
/// Shapes exclude the batch dimension and are channels first ([C, H, W] or [features]).
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(Conv2D), "Conv2D")]
[JsonDerivedType(typeof(MaxPool2D), "MaxPool2D")]
[JsonDerivedType(typeof(AvgPool2D), "AvgPool2D")]
[JsonDerivedType(typeof(GlobalAveragePool), "GlobalAveragePooling2D")]
[JsonDerivedType(typeof(GlobalMaxPool), "GlobalMaxPooling2D")]
[JsonDerivedType(typeof(Flatten), "Flatten")]
[JsonDerivedType(typeof(Dense), "Dense")]
[JsonDerivedType(typeof(Dropout), "Dropout")]
[JsonDerivedType(typeof(BatchNorm), "BatchNormalization")]
[JsonDerivedType(typeof(Activation), "Activation")]
[JsonDerivedType(typeof(MeanImageSubtraction), "MeanImage")]
[JsonDerivedType(typeof(ImageClassifier.Models.ResNet.ResNetBackbone), "ResNet")]
[JsonDerivedType(typeof(ImageClassifier.Models.ResNet9.ResNet9Backbone), "ResNet9")]
[JsonDerivedType(typeof(ImageClassifier.Models.Vgg.VggBackbone), "VGG")]
[JsonDerivedType(typeof(Augment), "Augment")]
public abstract record LayerSpec
{
    /// <summary>Keras' class name for the layer, shown in summaries.</summary>
    [JsonIgnore] public abstract string Kind { get; }

    /// <summary>Base of the automatic layer name (conv2d, conv2d_1, ...), as Keras names them.</summary>
    [JsonIgnore] public virtual string NameBase => Kind.ToLowerInvariant();

    /// <summary>
    /// Multiply-adds of one image's forward pass through this layer for an input of <paramref name="input"/>: the
    /// convolutions' and dense layers' (pooling, normalisation and activations add under 1% and count 0).
    /// </summary>
    public virtual long MultiplyAdds(int[] input) => 0;

    /// <summary>Builds the module for an input of <paramref name="input"/> and returns its output shape.</summary>
    public abstract (nn.Module<Tensor, Tensor> Module, int[] Output) Build(int[] input);

    protected static void RequireImage(int[] input, string layer)
    {
        if (input.Length != 3)
            throw new ModelException($"{layer} needs an image input (channels, height, width), but its input has shape {Shapes.Format(input)}; put it before Flatten or global pooling.");
    }
}

/// <summary>Formats shapes Keras-style: (None, H, W, C) for images, (None, F) for vectors.</summary>
public static class Shapes
{
    public static string Format(int[] shape) => shape.Length == 3
        ? $"(None, {shape[1]}, {shape[2]}, {shape[0]})"
        : "(None, " + string.Join(", ", shape) + ")";

    public static int Product(int[] shape) => shape.Aggregate(1, (a, b) => a * b);
}
