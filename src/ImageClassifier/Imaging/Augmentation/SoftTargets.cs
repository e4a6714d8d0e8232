using static TorchSharp.torch;

namespace ImageClassifier.Imaging.Augmentation;

/// <summary>Class indices as one-hot rows, so that mixing augmentations can blend them.</summary>
internal static class SoftTargets
{
    /// <summary>Float [B, classes]: one-hot rows for int64 labels, or the soft targets themselves (a copy).</summary>
    public static Tensor Of(Tensor targets, int classCount)
    {
        if (targets.dtype != ScalarType.Int64) return targets.to(ScalarType.Float32, copy: true);
        using var oneHot = nn.functional.one_hot(targets, classCount);
        return oneHot.to(ScalarType.Float32);
    }
}
