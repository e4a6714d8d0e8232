using ImageClassifier.Engine;
using ImageClassifier.Models.ResNet;
using static TorchSharp.torch;

namespace ImageClassifier.Tests.Models.ResNet;

/// <summary>The ResNet convolution path: batch norm folded in inference, batch statistics in training, bfloat16 by policy.</summary>
public class ConvBatchNormTests
{
    static (TorchSharp.Modules.Conv2d Conv, TorchSharp.Modules.BatchNorm2d Bn) Pair()
    {
        manual_seed(11);
        var conv = nn.Conv2d(4, 8, 3, stride: 2, padding: 1, bias: false);
        var bn = nn.BatchNorm2d(8);
        using (no_grad())
        {
            // Statistics and affine parameters far from their initial 0/1, so a wrong fold shows.
            bn.running_mean!.copy_(randn(8));
            bn.running_var!.copy_(rand(8) + 0.5);
            bn.weight!.copy_(randn(8));
            bn.bias!.copy_(randn(8));
        }
        return (conv, bn);
    }

    [Fact]
    public void In_inference_the_folded_convolution_equals_convolution_then_batch_norm_with_the_same_gradients()
    {
        var (conv, bn) = Pair();
        bn.eval();
        using var input = randn(2, 4, 10, 10);
        using var folded = ConvBatchNorm.Forward(conv, bn, ConvBatchNorm.Input(input));
        folded.sum().backward();
        var foldedGradients = new[] { conv.weight!, bn.weight!, bn.bias! }.Select(p => p.grad!.clone()).ToArray();

        foreach (var p in new[] { conv.weight!, bn.weight!, bn.bias! }) p.grad!.zero_();
        using var expected = bn.call(conv.forward(input));
        expected.sum().backward();
        Assert.True(folded.allclose(expected, rtol: 1e-4, atol: 1e-5), "folding batch norm changed the output");
        Assert.Equal(1, folded.stride(1)); // channels-last
        var reference = new[] { conv.weight!, bn.weight!, bn.bias! }.Select(p => p.grad!).ToArray();
        for (int i = 0; i < 3; i++)
            Assert.True(foldedGradients[i].allclose(reference[i], rtol: 1e-4, atol: 1e-4), $"gradient {i} differs through the fold");
    }

    [Fact]
    public void In_training_it_normalises_by_the_batch_and_updates_the_running_statistics()
    {
        var (conv, bn) = Pair();
        bn.train();
        using var before = bn.running_mean!.clone();
        using var input = randn(4, 4, 10, 10);
        using var output = ConvBatchNorm.Forward(conv, bn, ConvBatchNorm.Input(input));
        // After batch norm in training, each channel has the batch mean beta.
        using var means = output.mean([0, 2, 3]);
        Assert.True(means.allclose(bn.bias!, rtol: 1e-3, atol: 1e-4), "not normalised by the batch's statistics");
        Assert.False(bn.running_mean!.allclose(before), "the running mean did not move");
        Assert.True(output.is_contiguous(), "a float32 training batch norm takes NCHW, where libtorch's statistics are exact to float32");
    }

    [Fact]
    public void In_bfloat16_it_computes_in_bfloat16_and_returns_float32_close_to_float32()
    {
        var (conv, bn) = Pair();
        bn.eval();
        using var input = randn(2, 4, 10, 10);
        Tensor Run(string precision)
        {
            using var _ = ComputePrecision.Use(precision);
            using var x = ConvBatchNorm.Input(input);
            Assert.Equal(precision == "bfloat16" ? ScalarType.BFloat16 : ScalarType.Float32, x.dtype);
            return ConvBatchNorm.Output(ConvBatchNorm.Forward(conv, bn, x)); // float32 in float32: the same tensor
        }
        using var exact = Run("float32");
        using var rounded = Run("bfloat16");
        Assert.Equal(ScalarType.Float32, rounded.dtype);
        double spread = exact.std().item<float>(), error = (rounded - exact).abs().max().item<float>();
        Assert.True(error < 0.05 * spread && error > 0, $"bfloat16 outputs differ by {error:g3} (spread {spread:g3})");
    }
}
