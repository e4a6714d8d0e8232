using static TorchSharp.torch;

namespace ImageClassifier.Tests.TestSupport;

/// <summary>Exact tensor equality, for the augmentation and test-time augmentation tests.</summary>
static class TensorComparison
{
    /// <summary>Same shape and exactly the same values (TorchSharp's equal() compares element-wise).</summary>
    public static bool SameAs(this Tensor a, Tensor b) =>
        a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();
}
