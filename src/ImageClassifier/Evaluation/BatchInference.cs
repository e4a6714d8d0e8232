using ImageClassifier.Data;
using ImageClassifier.Models;
using static TorchSharp.torch;

namespace ImageClassifier.Evaluation;

/// <summary>
/// Runs a model over a whole dataset in batches, in inference mode: the one loop that evaluation,
/// prediction, test-time augmentation, validation during training and the feature cache share,
/// for a TorchSharp classifier or an exported ONNX model alike (<see cref="IImageClassifier"/>).
/// Here rather than in Classifier because a model knows no datasets.
/// </summary>
public static class BatchInference
{
    /// <summary>
    /// The most input values (images x channels x height x width) in one batch: big inputs (a 224x224
    /// backbone) in batches of a few hundred would take gigabytes of activations.
    /// </summary>
    public const long MaxBatchPixels = 16_000_000;

    /// <summary>Logits [N, classes] on the CPU.</summary>
    public static Tensor Logits(this IImageClassifier model, ImageDataset data, int batchSize = 256) =>
        data.Count == 0 ? empty(data.Count, model.ClassNames.Count)
            : model.Map(data, model.PredictLogits, batchSize);

    /// <summary>Class probabilities [N, classes] on the CPU; with <paramref name="tta"/>, averaged over its views of each image.</summary>
    public static Tensor Probabilities(this IImageClassifier model, ImageDataset data, int batchSize = 256, TestTimeAugmentation? tta = null)
    {
        if (tta is null || data.Count == 0)
        {
            using var logits = model.Logits(data, batchSize);
            return logits.softmax(1);
        }
        return model.Map(data, batch => tta.Probabilities(model, batch), batchSize);
    }

    /// <summary>
    /// Applies <paramref name="perBatch"/> to each batch of the dataset's images (uint8 [n, C, H, W] on the CPU, at most
    /// <paramref name="batchSize"/> and <see cref="MaxBatchPixels"/>) and stacks its outputs into one tensor [N, ...] on
    /// <paramref name="device"/> (the CPU by default). The network is in eval mode, gradients are off, and each batch's
    /// temporaries are freed with it. The dataset must not be empty: an empty one has no output shape.
    /// </summary>
    public static Tensor Map(this IImageClassifier model, ImageDataset data, Func<Tensor, Tensor> perBatch, int batchSize = 256, Device? device = null)
    {
        if (data.Count == 0) throw new DatasetException($"Dataset '{data.Name}' is empty: there is nothing to run the model on.");
        var shape = data.Shape;
        batchSize = Math.Clamp((int)(MaxBatchPixels / Math.Max(model.InputShape.Size, shape.Size)), 1, batchSize);
        Tensor? result = null;
        if (model is Classifier classifier) classifier.Network.eval();
        using var noGrad = no_grad();
        for (int start = 0; start < data.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            int count = Math.Min(batchSize, data.Count - start);
            var bytes = tensor(data.Pixels.AsSpan(start * shape.Size, count * shape.Size).ToArray(), [count, shape.Channels, shape.Height, shape.Width]);
            var output = perBatch(bytes);
            if (result is null)
            {
                result = empty([data.Count, .. output.shape[1..]], device: device ?? CPU);
                result.MoveToOuterDisposeScope();
            }
            result.narrow(0, start, count).copy_(output);
        }
        return result!;
    }
}
