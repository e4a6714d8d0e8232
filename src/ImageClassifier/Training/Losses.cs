using static TorchSharp.torch;

namespace ImageClassifier.Training;

/// <summary>
/// Cross-entropy on logits, with optional label smoothing and class weights. Targets are class
/// indices (int64 [N]) or soft targets (float [N, C], e.g. one-hot, MixUp), as in PyTorch.
/// </summary>
public sealed class CrossEntropyLoss(double labelSmoothing = 0, float[]? classWeights = null)
{
    public Tensor Compute(Tensor logits, Tensor targets)
    {
        using var weight = classWeights is null ? null : tensor(classWeights, device: logits.device);
        if (weight is not null && weight.shape[0] != logits.shape[1])
            throw new ArgumentException($"{classWeights!.Length} class weights were given for {logits.shape[1]} classes.");
        if (targets.dtype == ScalarType.Int64)
            return nn.functional.cross_entropy(logits, targets, weight, label_smoothing: labelSmoothing);

        // Soft targets: -sum_c w_c t_c log p_c, averaged over the batch (PyTorch's definition).
        using var logp = logits.log_softmax(1);
        int classes = (int)logits.shape[1];
        using var smoothed = labelSmoothing > 0 ? targets.mul(1 - labelSmoothing).add_(labelSmoothing / classes) : targets.alias();
        using var weighted = weight is null ? smoothed.alias() : smoothed.mul(weight.view(1, classes));
        return weighted.mul(logp).sum(1).mean().neg();
    }
}
