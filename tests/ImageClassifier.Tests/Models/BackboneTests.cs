using ImageClassifier.Models;
using ImageClassifier.Models.ResNet;
using static TorchSharp.torch;

namespace ImageClassifier.Tests.Models;

/// <summary>The backbone architectures: parameter counts as torchvision reports them, shapes, and names that state dicts use.</summary>
public class BackboneTests
{
    [Theory]
    [InlineData("resnet18", 11_176_512L)]        // torchvision resnet18 (11,689,512) less its fc (513,000)
    [InlineData("resnet34", 21_284_672L)]        // torchvision resnet34 (21,797,672) less its fc
    [InlineData("resnet18-mlnet", 15_897_152L)]  // one more 512-filter block than resnet18
    [InlineData("vgg16", 14_714_688L)]           // torchvision vgg16.features
    public void Backbones_have_torchvision_parameter_counts(string architecture, long expected)
    {
        var layers = ModelRegistry.Get(architecture).Base!;
        using var network = new SequentialNetwork(new ModelSpec(architecture, [3, 64, 64], 2,
            [.. layers, new ImageClassifier.Models.Layers.GlobalAveragePool(), new ImageClassifier.Models.Layers.Dense(2)]));
        long backbone = network.Layers[0].Module.parameters().Sum(p => p.numel());
        Assert.Equal(expected, backbone);
    }

    [Theory]
    [InlineData("resnet18", 224, 7)]
    [InlineData("resnet18", 112, 4)]
    [InlineData("resnet-small", 28, 7)]
    [InlineData("resnet-small", 32, 8)]
    [InlineData("vgg16", 32, 1)]
    public void Inferred_output_size_is_what_the_network_produces(string architecture, int size, int expected)
    {
        using var network = new SequentialNetwork(ModelRegistry.Create(architecture, [3, size, size], 10));
        Assert.Equal(expected, network.Layers[0].OutputShape[1]);
        network.eval();
        using var output = network.Layers[0].Module.forward(randn(1, 3, size, size));
        Assert.Equal(expected, output.shape[2]);
        Assert.Equal([1L, 10], network.forward(randn(1, 3, size, size)).shape);
    }

    [Fact]
    public void Module_names_follow_torchvision()
    {
        using var resnet = new ResNetModule(new ResNetBackbone([2, 2, 2, 2]), 3);
        var keys = resnet.state_dict().Keys.ToHashSet();
        foreach (string key in new[] { "conv1.weight", "bn1.running_var", "layer1.0.conv1.weight", "layer2.0.downsample.0.weight", "layer2.0.downsample.1.bias", "layer4.1.bn2.weight" })
            Assert.Contains(key, keys);
        Assert.DoesNotContain("layer1.0.downsample.0.weight", keys);
        using var network = new SequentialNetwork(ModelRegistry.Create("vgg16", [3, 32, 32], 10));
        Assert.Contains("layers.vgg.features.28.weight", network.state_dict().Keys);
    }
}
