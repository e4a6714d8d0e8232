using ImageClassifier.Engine;
using ImageClassifier.Models;
using ImageClassifier.Models.Layers;
using ImageClassifier.Models.ResNet9;
using static TorchSharp.torch;

namespace ImageClassifier.Tests.Models.ResNet9;

/// <summary>The fast preset's network: the PyTorch reference's size and cost, its shapes, bad widths and sizes, and its bfloat16 mode.</summary>
public class ResNet9Tests
{
    static SequentialNetwork FastNetwork(int[] input, int classes = 10) => new(ModelRegistry.Create("resnet-fast", input, classes));

    [Fact]
    public void Resnet_fast_has_the_pytorch_references_parameters_and_hand_counted_multiply_adds()
    {
        using var network = FastNetwork([1, 28, 28]);
        // bench/pytorch_fast_reference.py prints 412,666 parameters for the same network.
        Assert.Equal(412_666L, network.parameters().Sum(p => p.numel()));
        // Per image at 28 x 28: 28x28x9x1x16 + 14x14x9x16x32 + 2x14x14x9x32x32 + 7x7x9x32x64 + 3x3x9x64x128 + 2x3x3x9x128x128
        // (the convolutions, with the residual blocks' two each), and the Dense layer's 128 x 10.
        long convolutions = 112_896 + 903_168 + 3_612_672 + 903_168 + 663_552 + 2_654_208;
        Assert.Equal(convolutions, new ResNet9Backbone([16, 32, 64, 128]).MultiplyAdds([1, 28, 28]));
        Assert.Equal(8_849_664L, convolutions);
    }

    [Fact]
    public void Resnet_fast_wide_is_one_and_a_half_times_as_wide()
    {
        using var network = new SequentialNetwork(ModelRegistry.Create("resnet-fast-wide", [1, 28, 28], 10));
        // Convolutions 9 x in x out, batch norm 2 x out, per unit: 24, 48 (+2 residual), 96, 192 (+2 residual); Dense 192 x 10 + 10.
        long expected = (9 * 24 + 48) + (9 * 24 * 48 + 96) + 2 * (9 * 48 * 48 + 96) + (9 * 48 * 96 + 192) + (9 * 96 * 192 + 384) + 2 * (9 * 192 * 192 + 384) + 1_930;
        Assert.Equal(926_578L, expected);
        Assert.Equal(expected, network.parameters().Sum(p => p.numel()));
        Assert.Equal([192, 3, 3], network.Layers[0].OutputShape);
        Assert.Equal(19_827_072L, new ResNet9Backbone([24, 48, 96, 192]).MultiplyAdds([1, 28, 28]));
    }

    [Theory]
    [InlineData(28, 3)]
    [InlineData(32, 4)]
    [InlineData(8, 1)]
    public void Its_output_size_is_the_input_pooled_three_times(int size, int expected)
    {
        using var network = FastNetwork([3, size, size], classes: 4);
        Assert.Equal([128, expected, expected], network.Layers[0].OutputShape);
        network.eval();
        using var features = network.Layers[0].Module.forward(randn(2, 3, size, size));
        Assert.Equal([2L, 128, expected, expected], features.shape);
        using var logits = network.forward(randn(2, 3, size, size));
        Assert.Equal([2L, 4], logits.shape);
    }

    [Fact]
    public void Too_small_an_input_and_wrong_widths_are_refused_with_the_reason()
    {
        var small = Assert.Throws<ModelException>(() => new ResNet9Backbone([16, 32, 64, 128]).Build([1, 7, 7]));
        Assert.Contains("at least 8 x 8 pixels", small.Message);
        var widths = Assert.Throws<ModelException>(() => new ResNet9Backbone([16, 32, 64]).Build([1, 28, 28]));
        Assert.Contains("four positive stage widths", widths.Message);
        Assert.Contains("image input", Assert.Throws<ModelException>(() => new ResNet9Backbone([16, 32, 64, 128]).Build([784])).Message);
    }

    [Fact]
    public void In_bfloat16_it_computes_nearly_the_float32_outputs_and_gradients_into_float32_weights()
    {
        manual_seed(3);
        using var network = FastNetwork([1, 28, 28]);
        using var input = randn(8, 1, 28, 28);
        using var labels = tensor(new long[] { 0, 1, 2, 3, 4, 5, 6, 7 });
        var conv = network.Layers[0].Module.named_parameters().First(p => p.name.EndsWith("conv.weight")).parameter;

        (Tensor Logits, Tensor Gradient) Step(string precision)
        {
            using var _ = ComputePrecision.Use(precision);
            network.zero_grad();
            var logits = network.forward(input);
            nn.functional.cross_entropy(logits, labels).backward();
            return (logits.detach(), conv.grad!.clone());
        }

        var (exact, exactGradient) = Step("float32");
        var (rounded, roundedGradient) = Step("bfloat16");
        Assert.False(ComputePrecision.BFloat16); // the scope ended
        Assert.Equal(ScalarType.Float32, rounded.dtype);
        Assert.Equal(ScalarType.Float32, roundedGradient.dtype);
        Assert.Equal(ScalarType.Float32, conv.dtype);
        // bfloat16 keeps 8 bits of mantissa (about 0.4% per value); through 8 convolutions the logits move by a few percent of their spread.
        double spread = exact.std().item<float>(), error = (rounded - exact).abs().max().item<float>();
        Assert.True(error < 0.1 * spread, $"bfloat16 logits differ by {error:g3}, their spread is {spread:g3}");
        Assert.True(error > 0, "bfloat16 gave the float32 result bit for bit: it did not compute in bfloat16");
        double cosine = nn.functional.cosine_similarity(exactGradient.flatten(), roundedGradient.flatten(), dim: 0).item<float>();
        // Back through all eight convolutions in bfloat16 the first one's gradient keeps its direction to about 0.95 (measured
        // 0.955 here); a broken backward pass would be near 0.
        Assert.True(cosine > 0.9, $"the first convolution's gradient points elsewhere in bfloat16 (cosine {cosine:0.0000})");
    }
}
