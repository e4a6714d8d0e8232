using static TorchSharp.torch;

namespace ImageClassifier.Engine;

/// <summary>
/// Lays a 4-D tensor out channels-last (NHWC in memory, NCHW in shape), which oneDNN's convolutions take without
/// reordering to and from their own layout on every call: in float32, 1.25x the training speed of the fast preset's
/// ResNet-9 here (1.5-1.7x its bare forward and backward passes). Ops after a convolution keep the layout.
/// TorchSharp has no memory_format argument, so the layout comes from a permuted copy (free when the tensor is
/// channels-last already).
/// </summary>
public static class ChannelsLast
{
    public static Tensor Of(Tensor x) => x.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);
}
