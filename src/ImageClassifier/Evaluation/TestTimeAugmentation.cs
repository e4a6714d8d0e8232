using ImageClassifier.Models;
using static TorchSharp.torch;

namespace ImageClassifier.Evaluation;

/// <summary>
/// Test-time augmentation: a model's class probabilities averaged over a few views of each image (the image
/// itself, its mirror images, optionally the image shifted by a pixel or two up-left and down-right (as
/// training's random crops shift it, with their mirror images too), and optionally five crops: four corners and
/// the centre, each resized back to the input size), which evens out predictions that hinge on which way round
/// or where an object is. Deterministic: the views are fixed, not random.
/// </summary>
public sealed record TestTimeAugmentation(bool HorizontalFlip = true, bool VerticalFlip = false, bool Crops = false, double CropScale = 0.875, int Shift = 0)
{
    public const string Syntax = "flip, vflip, shift and/or crops, comma-separated (e.g. flip,shift)";

    /// <summary>"flip", "vflip", "shift" (or "shift=2", pixels), "crops" (or "crops=0.8"), comma-separated, as the CLI's --tta takes them.</summary>
    public static TestTimeAugmentation Parse(string spec)
    {
        bool h = false, v = false, crops = false;
        double scale = 0.875;
        int shift = 0;
        foreach (string raw in spec.Split(',', StringSplitOptions.TrimEntries))
        {
            string item = raw.ToLowerInvariant();
            if (item is "flip" or "hflip" or "horizontal") h = true;
            else if (item is "vflip" or "vertical") v = true;
            else if (item == "crops") crops = true;
            else if (item == "shift") shift = 1;
            else if (item.StartsWith("shift=") && int.TryParse(item[6..], out int pixels) && pixels >= 1) shift = pixels;
            else if (item.StartsWith("crops=") && double.TryParse(item[6..], System.Globalization.CultureInfo.InvariantCulture, out double s) && s is > 0 and < 1)
                (crops, scale) = (true, s);
            else throw new ArgumentException($"Unknown test-time augmentation '{raw}': use {Syntax}; crops=S sets the crop size to S (0 to 1) of the image, shift=N the shift to N pixels.");
        }
        if (!h && !v && !crops && shift == 0) throw new ArgumentException($"The test-time augmentation is empty: use {Syntax}.");
        return new TestTimeAugmentation(h, v, crops, scale, shift);
    }

    /// <summary>How many views each image is predicted from.</summary>
    public int ViewCount => (Shift > 0 ? 3 : 1) * (1 + (HorizontalFlip ? 1 : 0) + (VerticalFlip ? 1 : 0)) + (Crops ? 5 : 0);

    /// <summary>Averaged class probabilities [N, classes] for a uint8 batch [N, C, H, W] (resized when its size differs).</summary>
    public Tensor Probabilities(IImageClassifier model, Tensor bytes) =>
        model is Classifier classifier ? Probabilities(classifier, bytes) : ProbabilitiesOfPixels(model, bytes);

    /// <summary>The same for a model that takes only pixels (an exported ONNX model): each view rounded back to uint8 (flips exactly).</summary>
    Tensor ProbabilitiesOfPixels(IImageClassifier model, Tensor bytes)
    {
        using var scope = NewDisposeScope();
        var images = InputFitting.Fit(bytes.cpu(), model.InputShape).to_type(ScalarType.Float32);
        Tensor? sum = null;
        foreach (var view in Views(images))
        {
            var probabilities = model.PredictProbabilities(view.round().clamp_(0, 255).to_type(ScalarType.Byte)).cpu();
            sum = sum is null ? probabilities : sum.add_(probabilities);
        }
        return sum!.div_(ViewCount).MoveToOuterDisposeScope();
    }

    Tensor Probabilities(Classifier model, Tensor bytes)
    {
        using var scope = NewDisposeScope();
        model.Network.eval();
        using var noGrad = no_grad();
        var images = model.FitToInput(bytes.to(model.Device)).to_type(ScalarType.Float32).div_(255);
        Tensor? sum = null;
        foreach (var view in Views(images))
        {
            var probabilities = model.Network.forward(model.Preprocessing.ApplyToUnitRange(view)).softmax(1);
            sum = sum is null ? probabilities : sum.add_(probabilities);
        }
        return sum!.div_(ViewCount).cpu().MoveToOuterDisposeScope();
    }

    IEnumerable<Tensor> Views(Tensor images)
    {
        foreach (var placed in Shifted(images))
        {
            yield return placed;
            if (HorizontalFlip) yield return placed.flip(3);
            if (VerticalFlip) yield return placed.flip(2);
        }
        if (!Crops) yield break;
        long height = images.shape[2], width = images.shape[3];
        long h = Math.Max(1, (long)Math.Round(height * CropScale)), w = Math.Max(1, (long)Math.Round(width * CropScale));
        foreach (var (top, left) in new[] { (0L, 0L), (0, width - w), (height - h, 0), (height - h, width - w), ((height - h) / 2, (width - w) / 2) })
        {
            var crop = images.narrow(2, top, h).narrow(3, left, w);
            yield return nn.functional.interpolate(crop, [height, width], mode: InterpolationMode.Bilinear, align_corners: false);
        }
    }

    /// <summary>The image, then (with a shift) the image moved Shift pixels down-right and up-left, the edges filled with zeros as training's crops pad them.</summary>
    IEnumerable<Tensor> Shifted(Tensor images)
    {
        yield return images;
        if (Shift == 0) yield break;
        long height = images.shape[2], width = images.shape[3];
        var padded = nn.functional.pad(images, [Shift, Shift, Shift, Shift]);
        yield return padded.narrow(2, 0, height).narrow(3, 0, width);
        yield return padded.narrow(2, 2 * Shift, height).narrow(3, 2 * Shift, width);
    }

    public override string ToString() =>
        string.Join(", ", new[] { HorizontalFlip ? "horizontal flip" : null, VerticalFlip ? "vertical flip" : null,
            Shift > 0 ? $"shifts of {Shift} pixel{(Shift > 1 ? "s" : "")}" : null, Crops ? $"5 crops of {CropScale:0.###}" : null }
            .Where(s => s is not null)) + $" ({ViewCount} views)";
}
