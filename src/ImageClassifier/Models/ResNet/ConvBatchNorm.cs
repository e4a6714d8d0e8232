using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ImageClassifier.Models.ResNet;

/// <summary>
/// A convolution followed by its batch norm, computed the fast way for the CPU:
/// - in inference (the batch norm not training, as in feature extraction, prediction and frozen batch norm),
///   channels-last (<see cref="Engine.ChannelsLast"/>), oneDNN's own layout, with the batch norm folded into the
///   convolution's weights and bias, as ONNX Runtime does: one pass over the activations instead of two. The
///   fold is recomputed on every call from the live parameters, so it stays exact while fine-tuning and
///   gradients reach the weights and the batch norm's affine parameters;
/// - a batch norm that is training in float32 gets an NCHW input: libtorch's channels-last batch norm accumulates
///   its statistics less exactly (measured: 1e-5 against 5e-7 from float64 on the outputs, 2e-3 against 7e-5 on
///   the scale's gradient), and synchronised batch norm across ranks is checked against float32 training. In
///   bfloat16, whose rounding (4e-3) dwarfs that, it stays channels-last: fine-tuning ResNet18 at 224 px runs
///   1.45x faster that way in less memory;
/// - in bfloat16 on bfloat16 activations (<see cref="Input"/> casts once under the
///   <see cref="Engine.ComputePrecision"/> policy), weights cast per call, so gradients reach the float32 weights.
/// </summary>
public static class ConvBatchNorm
{
    /// <summary>The network's input in the layout and number format the convolutions take.</summary>
    public static Tensor Input(Tensor input) =>
        Engine.ChannelsLast.Of(Engine.ComputePrecision.BFloat16 ? input.to(ScalarType.BFloat16) : input);

    /// <summary>The network's output back in float32.</summary>
    public static Tensor Output(Tensor x) => x.dtype == ScalarType.Float32 ? x : x.to(ScalarType.Float32);

    public static Tensor Forward(Conv2d conv, BatchNorm2d bn, Tensor x)
    {
        using var scope = NewDisposeScope();
        Tensor result;
        if (bn.training)
        {
            bool nchw = x.dtype == ScalarType.Float32; // exact statistics in float32; bfloat16 rounds far more anyway
            result = bn.call(Convolve(nchw ? x.contiguous() : x, conv.weight!, null, conv, channelsLast: !nchw));
        }
        else
        {
            // y = (conv(x) - mean) / sqrt(var + eps) * gamma + beta = conv_{w * s}(x) + (beta - mean * s), s = gamma / sqrt(var + eps).
            var s = bn.weight! / (bn.running_var! + bn.eps).sqrt();
            result = Convolve(x, conv.weight! * s.view(-1, 1, 1, 1), bn.bias! - bn.running_mean! * s, conv);
        }
        return result.MoveToOuterDisposeScope();
    }

    static Tensor Convolve(Tensor x, Tensor weight, Tensor? bias, Conv2d conv, bool channelsLast = true)
    {
        if (weight.dtype != x.dtype) (weight, bias) = (weight.to(x.dtype), bias?.to(x.dtype));
        return nn.functional.conv2d(x, channelsLast ? Engine.ChannelsLast.Of(weight) : weight, bias, conv.stride, conv.padding);
    }
}
