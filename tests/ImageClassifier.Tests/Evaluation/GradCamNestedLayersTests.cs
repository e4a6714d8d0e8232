using ImageClassifier.Evaluation.Explain;
using ImageClassifier.Models;
using ImageClassifier.Models.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ImageClassifier.Tests.Evaluation;

/// <summary>
/// Grad-CAM inside nested blocks named the torchvision way (conv1, bn1, conv2, downsample.0), as
/// ResNets have them: found by name, the block's own output the default, in-place operations and
/// dispose scopes inside the blocks harmless.
/// </summary>
public class GradCamNestedLayersTests
{
    /// <summary>A ResNet basic block as a test-only layer; <paramref name="InPlace"/> applies its first ReLU to the convolution's own output.</summary>
    sealed record BasicBlock(int Filters, bool InPlace) : LayerSpec
    {
        public override string Kind => "BasicBlock";
        public override string NameBase => "block";

        public override (nn.Module<Tensor, Tensor>, int[]) Build(int[] input) =>
            (new Module(input[0], Filters, InPlace), [Filters, input[1], input[2]]);

        sealed class Module : nn.Module<Tensor, Tensor>
        {
            readonly Conv2d conv1, conv2, unused;
            readonly BatchNorm2d bn2;
            readonly Sequential? downsample;
            readonly bool inPlace;

            public Module(int inputs, int filters, bool inPlace) : base("BasicBlock")
            {
                conv1 = nn.Conv2d(inputs, filters, 3, padding: 1);
                conv2 = nn.Conv2d(filters, filters, 3, padding: 1);
                bn2 = nn.BatchNorm2d(filters);
                unused = nn.Conv2d(filters, filters, 1);
                downsample = inputs == filters ? null : nn.Sequential(nn.Conv2d(inputs, filters, 1), nn.BatchNorm2d(filters));
                this.inPlace = inPlace;
                RegisterComponents();
            }

            // As TorchVision's ResNet does: everything but the result is disposed on the way out.
            public override Tensor forward(Tensor x)
            {
                using var scope = NewDisposeScope();
                var identity = downsample is null ? x : downsample.call(x);
                var first = conv1.call(x);
                var hidden = inPlace ? first.relu_() : first.relu();
                // Run by forward, not call: its hooks never fire, so it cannot be a Grad-CAM layer.
                var skipped = unused.forward(hidden) * 0;
                var output = bn2.call(conv2.call(hidden)) + skipped;
                return output.add_(identity).relu_().MoveToOuterDisposeScope();
            }
        }
    }

    static Classifier Model(bool inPlace)
    {
        manual_seed(11);
        return new Classifier(new ModelSpec("mini-resnet", [1, 8, 8], 2,
            [new BasicBlock(4, inPlace), new BasicBlock(4, inPlace), new GlobalAveragePool(), new Dense(2)]), ["a", "b"]);
    }

    static Tensor Images()
    {
        using var generator = new Generator(12);
        return randint(0, 256, [3, 1, 8, 8], generator: generator).to_type(ScalarType.Byte);
    }

    [Fact]
    public void Nested_convolutions_and_blocks_are_found_by_name_and_the_last_block_is_the_default()
    {
        using var model = Model(inPlace: false);
        var gradCam = new GradCam(model);
        Assert.Equal(["block.downsample.0", "block.downsample", "block.conv1", "block.conv2", "block",
            "block_1.conv1", "block_1.conv2", "block_1"], gradCam.Layers);
        Assert.Equal("block_1", gradCam.Layer);
        Assert.Contains("block.unused", TargetLayers.AllModules(model).Select(m => m.Name));
        var error = Assert.Throws<ModelException>(() => new GradCam(model, "block.unused"));
        Assert.Contains("'block.unused' is not a convolution layer", error.Message);
    }

    [Theory]
    [InlineData("block.conv1")]
    [InlineData("block_1.conv2")]
    [InlineData("block")]
    public void In_place_operations_after_the_layer_do_not_change_its_explanation(string layer)
    {
        // The same weights, once with relu_ on the convolution's output: the captured activation must
        // stay the convolution's output, not become its ReLU.
        using var plain = Model(inPlace: false);
        using var inPlace = Model(inPlace: true);
        using var images = Images();
        foreach (var method in new[] { CamMethod.GradCam, CamMethod.GradCamPlusPlus })
        {
            using var expected = plain.Explain(images, new ExplainOptions(Layer: layer, Method: method));
            using var actual = inPlace.Explain(images, new ExplainOptions(Layer: layer, Method: method));
            Assert.True(actual.Weights.allclose(expected.Weights, rtol: 1e-5, atol: 1e-7), $"{layer}, {method}: weights");
            Assert.True(actual.Heatmaps.allclose(expected.Heatmaps, rtol: 1e-5, atol: 1e-6), $"{layer}, {method}: heatmaps");
        }
    }
}
