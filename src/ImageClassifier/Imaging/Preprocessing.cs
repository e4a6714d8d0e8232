using static TorchSharp.torch;

namespace ImageClassifier.Imaging;

/// <summary>
/// How bytes (0..255, RGB) become the network's input: channels reordered (ChannelOrder "bgr" for
/// Caffe/CNTK-style weights), x * Scale, then (x - Mean[c]) / Std[c] per channel when Mean/Std are
/// given (in the network's channel order). Saved with the model so that predict applies exactly what
/// training did. A per-pixel mean image is too big for this record: it is a layer (MeanImageSubtraction).
/// </summary>
public sealed record Preprocessing(float Scale = 1f / 255f, float[]? Mean = null, float[]? Std = null, string ChannelOrder = "rgb")
{
    public static Preprocessing UnitRange { get; } = new();

    /// <summary>torchvision's ImageNet convention: RGB in [0,1], standardised with ImageNet's mean and std.</summary>
    public static Preprocessing ImageNet { get; } = new(1f / 255f, [0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f]);

    bool Bgr => ChannelOrder.Equals("bgr", StringComparison.OrdinalIgnoreCase);

    /// <summary>Scale to [0,1], then standardise each channel with the given mean and std (on the [0,1] scale;
    /// Data's ChannelStatistics computes them for a dataset).</summary>
    public static Preprocessing Standardize(float[] mean, float[] std) => new(1f / 255f, mean, std);

    /// <summary>Converts a uint8 batch [N, C, H, W] to float input on the batch's device.</summary>
    public Tensor Apply(Tensor bytes)
    {
        using var x = bytes.to_type(ScalarType.Float32);
        return Normalize(x, Scale);
    }

    /// <summary>The same for float images in [0, 1] (as augmentations produce them).</summary>
    public Tensor ApplyToUnitRange(Tensor images) => Normalize(images, 255 * Scale);

    /// <summary>Reorders channels, multiplies by <paramref name="scale"/>, then standardises: a new tensor.</summary>
    Tensor Normalize(Tensor images, float scale)
    {
        if (!Bgr && !ChannelOrder.Equals("rgb", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"Channel order must be 'rgb' or 'bgr', not '{ChannelOrder}'.");
        int channels = (int)images.shape[1];
        using var ordered = Bgr && channels == 3 ? images.flip(1) : images.alias();
        var x = ordered.mul(scale);
        if (Mean is null && Std is null) return x;
        if ((Mean?.Length ?? channels) != channels || (Std?.Length ?? channels) != channels)
            throw new ArgumentException($"Preprocessing has {Mean?.Length ?? Std?.Length} per-channel values but the images have {channels} channels.");
        if (Mean is not null)
        {
            using var mean = tensor(Mean, device: images.device).view(1, channels, 1, 1);
            x.sub_(mean);
        }
        if (Std is not null)
        {
            using var std = tensor(Std, device: images.device).view(1, channels, 1, 1);
            x.div_(std);
        }
        return x;
    }

    public override string ToString() =>
        (Bgr ? "BGR, " : "") + $"x/{1 / Scale:0.###}" + (Mean is null ? "" : $", mean [{string.Join(", ", Mean)}]") + (Std is null ? "" : $", std [{string.Join(", ", Std)}]");
}
