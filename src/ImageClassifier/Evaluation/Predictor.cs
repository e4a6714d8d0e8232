using ImageClassifier.Data;
using ImageClassifier.Models;
using static TorchSharp.torch;

namespace ImageClassifier.Evaluation;

/// <summary>Top-k predictions for a dataset or for image files.</summary>
public static class Predictor
{
    public static IReadOnlyList<Prediction> Predict(this IImageClassifier model, ImageDataset data, int topK = 3, int batchSize = 512,
        TestTimeAugmentation? tta = null)
    {
        using var scope = NewDisposeScope();
        using var probabilities = model.Probabilities(data, batchSize, tta);
        return TopK(model, probabilities, topK, i => $"{data.Name}[{i}]", i => data.ClassNames[data.Labels[i]]);
    }

    /// <summary>
    /// Top-k predictions for image files and folders (searched recursively, images recognised by
    /// content). Images of another size are resized to the model's input, with a note saying so.
    /// Undecodable files are returned as skipped, or thrown with <paramref name="strict"/>. With
    /// <paramref name="tta"/>, probabilities are averaged over its views of each image.
    /// </summary>
    public static (IReadOnlyList<Prediction> Predictions, IReadOnlyList<SkippedFile> Skipped) PredictFiles(
        this IImageClassifier model, IEnumerable<string> paths, int topK = 3, bool strict = false, int batchSize = 256, TestTimeAugmentation? tta = null)
    {
        var shape = model.InputShape;
        var predictions = new List<Prediction>();
        var skipped = new List<SkippedFile>();
        foreach (var batch in ImageFileInputs.ReadInBatches(paths, shape, batchSize, strict))
        {
            skipped.AddRange(batch.Skipped);
            var images = batch.Images;
            if (images.Count == 0) continue;
            predictions.AddRange(model.Predict(images, topK, tta));
        }
        return (predictions, skipped);
    }

    /// <summary>Top-k predictions for images already read as the model's input (<see cref="ImageFileInputs"/>), in one forward pass.</summary>
    public static IReadOnlyList<Prediction> Predict(this IImageClassifier model, IReadOnlyList<ImageFileInput> images, int topK = 3, TestTimeAugmentation? tta = null)
    {
        if (images.Count == 0) return [];
        var shape = model.InputShape;
        using var scope = NewDisposeScope();
        var bytes = tensor(images.SelectMany(i => i.Pixels).ToArray(), [images.Count, shape.Channels, shape.Height, shape.Width]);
        var probabilities = tta is null ? model.PredictProbabilities(bytes) : tta.Probabilities(model, bytes);
        return TopK(model, probabilities, topK, i => images[i].Path, _ => null, i => images[i].Note);
    }

    /// <summary>Top-k rows of a probability matrix [N, classes].</summary>
    internal static IReadOnlyList<Prediction> TopK(IImageClassifier model, Tensor probabilities, int topK,
        Func<int, string> source, Func<int, string?> trueClass, Func<int, string?>? note = null)
    {
        if (topK < 1) throw new ArgumentException($"Top-k must be at least 1, not {topK}.");
        int k = Math.Min(topK, model.ClassNames.Count);
        var (values, indices) = probabilities.topk(k, dim: 1);
        using (values)
        using (indices)
        {
            float[] p = values.data<float>().ToArray();
            long[] c = indices.data<long>().ToArray();
            return Enumerable.Range(0, (int)probabilities.shape[0]).Select(i => new Prediction(
                source(i),
                Enumerable.Range(0, k).Select(j => new ClassScore((int)c[i * k + j], model.ClassNames[(int)c[i * k + j]], p[i * k + j])).ToArray(),
                trueClass(i), note?.Invoke(i))).ToArray();
        }
    }
}
