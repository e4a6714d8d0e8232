using ImageClassifier.Imaging;

namespace ImageClassifier.Models.Pretrained;

/// <summary>
/// A pretrained backbone, as timm describes one: the architecture it fits, the input size it was
/// trained at, and the input convention its weights expect (channel order, scale, per-channel mean
/// and std, or a per-pixel mean image). Models built from it carry all of this in their file.
/// </summary>
public sealed record PretrainedConfig(
    string Name, string Architecture, int InputSize, string ChannelOrder, float Scale, float[]? Mean, float[]? Std,
    bool MeanImage, string Source, string Description)
{
    /// <summary>The preprocessing recorded in models built on these weights.</summary>
    public Preprocessing Preprocessing => new(Scale, Mean, Std, ChannelOrder);

    /// <summary>torchvision's ImageNet weights for <paramref name="architecture"/> (RGB, [0,1], ImageNet mean and std), as a user supplies them.</summary>
    public static PretrainedConfig Torchvision(string architecture, string file) => new(
        $"{architecture} ({Path.GetFileName(file)})", architecture, 224, "rgb", 1f / 255f,
        Preprocessing.ImageNet.Mean, Preprocessing.ImageNet.Std, MeanImage: false, file,
        "user-supplied weights with torchvision names, torchvision's ImageNet preprocessing");
}
