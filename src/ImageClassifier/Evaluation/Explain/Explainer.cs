using ImageClassifier.Data;
using ImageClassifier.Imaging;
using ImageClassifier.Models;
using static TorchSharp.torch;

namespace ImageClassifier.Evaluation.Explain;

/// <summary>An image file explained: the image as decoded (the model's channels, its own size) and its explanation.</summary>
public sealed record FileExplanation(string Source, DecodedImage Image, Explanation Explanation, string? Note = null);

/// <summary>Grad-CAM from a classifier: batches, single images, image files and dataset images (Reporting draws the panels).</summary>
public static class Explainer
{
    /// <summary>Grad-CAM for a uint8 batch [N, C, H, W]; heatmaps come back at the batch's own size.</summary>
    public static GradCamResult Explain(this Classifier model, Tensor bytes, ExplainOptions? options = null)
    {
        options ??= ExplainOptions.Default;
        return new GradCam(model, options.Layer, options.Method).Explain(bytes, options.Class);
    }

    /// <summary>
    /// Explains image files and folders (searched recursively) as predict reads them: decoded with
    /// the model's channel count and resized to its input, with a note saying so. The heatmap is at
    /// the model's input size. Undecodable files are returned as skipped, or thrown with <paramref name="strict"/>.
    /// </summary>
    public static (IReadOnlyList<FileExplanation> Explained, IReadOnlyList<SkippedFile> Skipped) ExplainFiles(
        this Classifier model, IEnumerable<string> paths, ExplainOptions? options = null, bool strict = false, int batchSize = 32)
    {
        options ??= ExplainOptions.Default;
        var gradCam = new GradCam(model, options.Layer, options.Method);
        var shape = model.InputShape;
        var explained = new List<FileExplanation>();
        var skipped = new List<SkippedFile>();
        foreach (var batch in ImageFileInputs.ReadInBatches(paths, shape, batchSize, strict))
        {
            skipped.AddRange(batch.Skipped);
            var images = batch.Images;
            if (images.Count == 0) continue;
            using var scope = NewDisposeScope();
            var pixels = images.SelectMany(i => i.Pixels).ToArray();
            using var result = gradCam.Explain(tensor(pixels, [images.Count, shape.Channels, shape.Height, shape.Width]), options.Class);
            explained.AddRange(images.Select((image, i) => new FileExplanation(image.Path, image.Image, result[i], image.Note)));
        }
        return (explained, skipped);
    }

    /// <summary>
    /// One image explained. <paramref name="image"/>: planar bytes of <paramref name="shape"/> with the model's
    /// channels, any size; the heatmap comes back at that size.
    /// </summary>
    public static Explanation Explain(this Classifier model, ReadOnlySpan<byte> image, ImageShape shape, ExplainOptions? options = null)
    {
        using var scope = NewDisposeScope();
        using var result = model.Explain(tensor(image.ToArray(), [1, shape.Channels, shape.Height, shape.Width]), options);
        return result[0];
    }

    /// <summary>Images of a dataset explained (e.g. its top losses), in the order of <paramref name="indices"/>.</summary>
    public static IReadOnlyList<Explanation> Explain(this Classifier model, ImageDataset data, IReadOnlyList<int> indices,
        ExplainOptions? options = null, int batchSize = 32)
    {
        options ??= ExplainOptions.Default;
        var gradCam = new GradCam(model, options.Layer, options.Method);
        var shape = data.Shape;
        var explanations = new List<Explanation>();
        foreach (var chunk in indices.Chunk(batchSize))
        {
            using var scope = NewDisposeScope();
            var pixels = chunk.SelectMany(i => data.Image(i).ToArray()).ToArray();
            using var result = gradCam.Explain(tensor(pixels, [chunk.Length, shape.Channels, shape.Height, shape.Width]), options.Class);
            explanations.AddRange(Enumerable.Range(0, chunk.Length).Select(i => result[i]));
        }
        return explanations;
    }
}
