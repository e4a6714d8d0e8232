using ImageClassifier.Data;
using ImageClassifier.Models;
using static TorchSharp.torch;

namespace ImageClassifier.Evaluation;

/// <summary>Runs a model over a labelled dataset and scores it.</summary>
public static class Evaluator
{
    public static EvaluationResult Evaluate(this Classifier model, ImageDataset data, int batchSize = 512)
    {
        if (data.Count == 0) throw new DatasetException($"Dataset '{data.Name}' is empty: there is nothing to evaluate.");
        if (data.ClassCount != model.ClassNames.Count)
            throw new ModelException($"Dataset '{data.Name}' has {data.ClassCount} classes but the model has {model.ClassNames.Count} ({string.Join(", ", model.ClassNames.Take(5))}...).");
        using var scope = NewDisposeScope();
        var logits = model.Logits(data, batchSize);
        var labels = tensor(data.Labels.Select(l => (long)l).ToArray());
        double loss = nn.functional.cross_entropy(logits, labels).item<float>();
        var predicted = logits.argmax(1);
        double accuracy = predicted.eq(labels).sum().item<long>() / (double)data.Count;
        var probabilities = logits.softmax(1);
        int classes = model.ClassNames.Count;
        float[] flat = probabilities.data<float>().ToArray();
        var rows = Enumerable.Range(0, data.Count).Select(i => flat.AsSpan(i * classes, classes).ToArray()).ToArray();
        int[] predictedClasses = predicted.data<long>().Select(p => (int)p).ToArray();
        return new EvaluationResult(data.Name, model.ClassNames, data.Labels, predictedClasses, rows, loss, accuracy);
    }
}
