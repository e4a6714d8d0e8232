using ImageClassifier.Engine;
using ImageClassifier.Models.Layers;
using static TorchSharp.torch;

namespace ImageClassifier.Tests.Models.Layers;

/// <summary>Conv2D's fast path (channels-last, bfloat16 by policy) against libtorch's plain NCHW convolution.</summary>
public class Conv2DTests
{
    // The layer, and its parameters as the plain convolution takes them.
    static (nn.Module<Tensor, Tensor> Layer, Tensor Weight, Tensor Bias) Build(Conv2D spec, int[] input)
    {
        var (layer, _) = spec.Build(input);
        var parameters = layer.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        return (layer, parameters["conv.weight"], parameters["conv.bias"]);
    }

    [Theory]
    [InlineData(1, 3, "valid", 1, "relu")] // the tutorial CNN's first layer, a matrix multiply over one channel's shifted views
    [InlineData(1, 3, "same", 2, "relu")]
    [InlineData(1, 4, "same", 1, "tanh")]  // one channel, an even kernel's uneven padding, another activation
    [InlineData(1, 5, "valid", 1, null)]
    [InlineData(5, 3, "same", 2, "relu")]
    [InlineData(4, 2, "same", 1, "relu")]  // an even kernel: Keras' uneven "same" padding
    public void Its_output_is_channels_last_and_equals_the_plain_convolution_forward_and_backward(int channels, int kernel, string padding, int stride, string? activation)
    {
        manual_seed(7);
        var spec = new Conv2D(6, kernel, stride, padding, Activation: activation);
        var (layer, weight, bias) = Build(spec, [channels, 9, 9]);
        using var input = randn(3, channels, 9, 9);
        using var output = layer.forward(input);
        Assert.Equal(1, output.stride(1)); // channels-last: the channel is the fastest-moving index
        output.square().sum().backward();
        using var weightGradient = weight.grad!.clone();
        using var biasGradient = bias.grad!.clone();

        weight.grad!.zero_();
        bias.grad!.zero_();
        var (top, bottom, _) = spec.PadFor(9);
        var (left, right, _) = spec.PadFor(9);
        using var padded = nn.functional.pad(input, [left, right, top, bottom]);
        using var convolved = nn.functional.conv2d(padded, weight, bias, [stride, stride]);
        using var expected = activation switch { "relu" => nn.functional.relu(convolved), "tanh" => convolved.tanh(), _ => convolved.alias() };
        expected.square().sum().backward();
        Assert.Equal(expected.shape, output.shape);
        Assert.True(output.allclose(expected, rtol: 1e-5, atol: 1e-5), "the channels-last convolution computed other values");
        Assert.True(weightGradient.allclose(weight.grad!, rtol: 1e-4, atol: 1e-4), "the channels-last convolution's weight gradient differs");
        Assert.True(biasGradient.allclose(bias.grad!, rtol: 1e-4, atol: 1e-4), "the channels-last convolution's bias gradient differs");
    }

    [Fact]
    public void In_bfloat16_it_returns_float32_close_to_the_float32_result_and_gradients_into_float32_weights()
    {
        manual_seed(8);
        var (layer, weight, _) = Build(new Conv2D(16, 3), [8, 12, 12]);
        using var input = randn(4, 8, 12, 12);

        (Tensor Output, Tensor Gradient) Run(string precision)
        {
            using var _ = ComputePrecision.Use(precision);
            weight.grad?.zero_();
            var output = layer.forward(input);
            output.square().sum().backward();
            return (output.detach(), weight.grad!.clone());
        }

        var (exact, exactGradient) = Run("float32");
        var (rounded, roundedGradient) = Run("bfloat16");
        Assert.Equal(ScalarType.Float32, rounded.dtype);
        Assert.Equal(ScalarType.Float32, roundedGradient.dtype);
        // 72 products per output, each input and weight rounded to 8 bits of mantissa: errors of about 1% of the spread.
        double spread = exact.std().item<float>(), error = (rounded - exact).abs().max().item<float>();
        Assert.True(error < 0.05 * spread, $"bfloat16 outputs differ by {error:g3}, their spread is {spread:g3}");
        Assert.True(error > 0, "bfloat16 gave the float32 result bit for bit: it did not compute in bfloat16");
        double cosine = nn.functional.cosine_similarity(exactGradient.flatten(), roundedGradient.flatten(), dim: 0).item<float>();
        Assert.True(cosine > 0.99, $"the bfloat16 weight gradient points elsewhere (cosine {cosine:0.0000})");
    }
}
