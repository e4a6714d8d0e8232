using ImageClassifier.Data;
using ImageClassifier.Models;
using static TorchSharp.torch;

namespace ImageClassifier.Evaluation;

/// <summary>Top-k predictions for a dataset or for image files.</summary>
public static class Predictor
{
    public static IReadOnlyList<Prediction> Predict(this Classifier model, ImageDataset data, int topK = 3, int batchSize = 512)
    {
        using var scope = NewDisposeScope();
        using var probabilities = model.Logits(data, batchSize).softmax(1);
        return TopK(model, probabilities, topK, i => $"{data.Name}[{i}]", i => data.ClassNames[data.Labels[i]]);
    }

    /// <summary>Top-k rows of a probability matrix [N, classes].</summary>
    internal static IReadOnlyList<Prediction> TopK(Classifier model, Tensor probabilities, int topK,
        Func<int, string> source, Func<int, string?> trueClass, Func<int, string?>? note = null)
    {
        if (topK < 1) throw new ArgumentException($"--top must be at least 1, not {topK}.");
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
