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
        CheckClassNames(model, data);
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

    /// <summary>
    /// Label i must mean the same class to the dataset and the model, or every score is against the wrong class.
    /// Equal names pass; so do a dataset's bare numbers 0..N-1 (IDX files carry no names, so they are positional).
    /// Anything else, the same names in another order included, is an error naming the differences.
    /// </summary>
    public static void CheckClassNames(IImageClassifier model, ImageDataset data)
    {
        var ours = model.ClassNames;
        var theirs = data.ClassNames;
        if (ours.SequenceEqual(theirs, StringComparer.Ordinal)) return;
        bool numbered = theirs.Select((name, i) => name == i.ToString(System.Globalization.CultureInfo.InvariantCulture)).All(x => x);
        if (numbered) return;
        var missing = ours.Except(theirs, StringComparer.Ordinal).ToList();
        var extra = theirs.Except(ours, StringComparer.Ordinal).ToList();
        string detail = missing.Count == 0 && extra.Count == 0
            ? "the same names in another order"
            : $"the dataset has {Listed(extra)} where the model has {Listed(missing)}";
        throw new ModelException(
            $"Dataset '{data.Name}' has classes {Listed(theirs)}, but the model was trained on {Listed(ours)} ({detail}); " +
            "scores would be against the wrong classes. Name the class folders as the model's classes.");
    }

    static string Listed(IEnumerable<string> names)
    {
        var list = names.ToList();
        return string.Join(", ", list.Take(8)) + (list.Count > 8 ? $", ... ({list.Count})" : "");
    }
}
