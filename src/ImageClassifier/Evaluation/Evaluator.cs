using ImageClassifier.Data;
using ImageClassifier.Models;
using static TorchSharp.torch;

namespace ImageClassifier.Evaluation;

/// <summary>Runs a model over a labelled dataset and scores it.</summary>
public static class Evaluator
{
    /// <summary>Scores <paramref name="model"/> on <paramref name="data"/>; with <paramref name="tta"/>, on probabilities averaged over its views.</summary>
    public static EvaluationResult Evaluate(this IImageClassifier model, ImageDataset data, int batchSize = 512, TestTimeAugmentation? tta = null)
    {
        if (data.Count == 0) throw new DatasetException($"Dataset '{data.Name}' is empty: there is nothing to evaluate.");
        if (data.ClassCount != model.ClassNames.Count)
            throw new ModelException($"Dataset '{data.Name}' has {data.ClassCount} classes but the model has {model.ClassNames.Count} ({string.Join(", ", model.ClassNames.Take(5))}...).");
        using var scope = NewDisposeScope();
        var labels = tensor(data.Labels.Select(l => (long)l).ToArray());
        Tensor probabilities;
        double loss;
        if (tta is null)
        {
            var logits = model.Logits(data, batchSize);
            loss = nn.functional.cross_entropy(logits, labels).item<float>();
            probabilities = logits.softmax(1);
        }
        else
        {
            probabilities = model.Probabilities(data, batchSize, tta);
            // Cross-entropy of the averaged probabilities, clipped as scikit-learn's log_loss clips them.
            loss = nn.functional.nll_loss(probabilities.clamp_min(1e-15).log(), labels).item<float>();
        }
        var predicted = probabilities.argmax(1);
        double accuracy = predicted.eq(labels).sum().item<long>() / (double)data.Count;
        int classes = model.ClassNames.Count;
        float[] flat = probabilities.data<float>().ToArray();
        var rows = Enumerable.Range(0, data.Count).Select(i => flat.AsSpan(i * classes, classes).ToArray()).ToArray();
        int[] predictedClasses = predicted.data<long>().Select(p => (int)p).ToArray();
        return new EvaluationResult(data.Name, model.ClassNames, data.Labels, predictedClasses, rows, loss, accuracy);
    }
}
