using ImageClassifier.Imaging;
using static TorchSharp.torch;

namespace ImageClassifier.Models;

/// <summary>
/// A model that scores images: the TorchSharp <see cref="Classifier"/>, or an exported ONNX model run by ONNX
/// Runtime (OnnxClassifier, in the Inference folder). Prediction and evaluation take this, so they run one path for both.
/// </summary>
public interface IImageClassifier : IDisposable
{
    IReadOnlyList<string> ClassNames { get; }

    /// <summary>The image size the model takes ([C, H, W]); other sizes are resized, grayscale repeated into colour.</summary>
    ImageShape InputShape { get; }

    /// <summary>The dataset the model was trained on, where it records one (evaluate's default).</summary>
    string? TrainedOn { get; }

    /// <summary>
    /// Logits [N, classes] for a uint8 batch [N, C, H, W], with the model's own preprocessing, in inference mode. A model
    /// that outputs probabilities gives their logarithms, which softmax maps back to the same probabilities.
    /// </summary>
    Tensor PredictLogits(Tensor bytes);

    /// <summary>Class probabilities [N, classes] for a uint8 batch [N, C, H, W].</summary>
    Tensor PredictProbabilities(Tensor bytes);

    /// <summary>Whether images with <paramref name="channels"/> channels can be fed (equal, or grayscale into colour).</summary>
    bool TakesChannels(int channels) => channels == InputShape.Channels || (channels == 1 && InputShape.Channels == 3);
}

/// <summary>Fits uint8 batches to a model's input: the one rule that every <see cref="IImageClassifier"/> applies.</summary>
public static class InputFitting
{
    /// <summary>
    /// A uint8 batch [N, C, H, W] fitted to <paramref name="input"/>: grayscale repeated to three channels when the model takes
    /// colour (pretrained backbones do), and resized (bilinear, antialiased) when the size differs. Other channel mismatches are errors.
    /// </summary>
    public static Tensor Fit(Tensor bytes, ImageShape input)
    {
        int channels = (int)bytes.shape[1];
        if (channels != input.Channels && !(channels == 1 && input.Channels == 3))
            throw new ModelException($"The model takes {input.Channels}-channel images but got {channels} channels.");
        using var colour = channels == input.Channels ? bytes.alias() : bytes.expand(-1, input.Channels, -1, -1);
        if (bytes.shape[2] == input.Height && bytes.shape[3] == input.Width)
            return colour.contiguous();
        using var asFloat = colour.to_type(ScalarType.Float32);
        using var resized = nn.functional.interpolate(asFloat, [input.Height, input.Width], mode: InterpolationMode.Bilinear, align_corners: false, antialias: true);
        return resized.round_().clamp_(0, 255).to_type(ScalarType.Byte);
    }
}
