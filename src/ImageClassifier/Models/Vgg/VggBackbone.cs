using ImageClassifier.Models.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace ImageClassifier.Models.Vgg;

/// <summary>
/// A VGG convolutional base without its classifier: 3x3 convolutions (padding 1, ReLU) and 2x2 max
/// pools, as written in <see cref="Layout"/> ("64 64 M 128 ..." with M for a pool). Modules are
/// named as torchvision's vgg*.features (features.0, features.2, ...) so its weights load.
/// </summary>
public sealed record VggBackbone(string Layout) : LayerSpec
{
    public const string Vgg16 = "64 64 M 128 128 M 256 256 256 M 512 512 512 M 512 512 512 M";

    public override string Kind => "VGG";
    public override string NameBase => "vgg";

    [System.Text.Json.Serialization.JsonIgnore]
    public string[] Items => Layout.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Each 3x3 convolution (padding 1) at the size the pools before it leave.</summary>
    public override long MultiplyAdds(int[] input)
    {
        long total = 0;
        int channels = input[0], height = input[1], width = input[2];
        foreach (string item in Items)
        {
            if (item.Equals("M", StringComparison.OrdinalIgnoreCase)) (height, width) = (height / 2, width / 2);
            else if (int.TryParse(item, out int filters)) (total, channels) = (total + 9L * channels * filters * height * width, filters);
        }
        return total;
    }

    public override (nn.Module<Tensor, Tensor>, int[]) Build(int[] input)
    {
        RequireImage(input, Kind);
        int channels = input[0], height = input[1], width = input[2];
        var modules = new List<(string, nn.Module<Tensor, Tensor>)>();
        foreach (string item in Items)
        {
            if (item.Equals("M", StringComparison.OrdinalIgnoreCase))
            {
                (height, width) = (height / 2, width / 2);
                if (height < 1 || width < 1)
                    throw new ModelException($"VGG's pools do not fit its input {Shapes.Format(input)}: it needs images of at least {1 << Items.Count(i => i.Equals("M", StringComparison.OrdinalIgnoreCase))} pixels.");
                modules.Add((modules.Count.ToString(), nn.MaxPool2d(2, 2)));
                continue;
            }
            if (!int.TryParse(item, out int filters) || filters < 1)
                throw new ModelException($"VGG layout items are filter counts or M, not '{item}'.");
            ParameterBudget.Claim((9.0 * channels + 1) * filters, $"VGG convolution of {filters:N0} filters");
            modules.Add((modules.Count.ToString(), nn.Conv2d(channels, filters, 3, padding: 1)));
            modules.Add((modules.Count.ToString(), nn.ReLU(inplace: true)));
            channels = filters;
        }
        return (new VggModule(modules), [channels, height, width]);
    }
}

/// <summary>torchvision's VGG "features" Sequential, wrapped so that its keys read features.N.*.</summary>
public sealed class VggModule : nn.Module<Tensor, Tensor>, IStagedModule
{
    readonly nn.Module<Tensor, Tensor> features;
    readonly List<(string Name, nn.Module<Tensor, Tensor> Module)> parts;

    public VggModule(List<(string Name, nn.Module<Tensor, Tensor> Module)> modules) : base("VGG")
    {
        parts = modules;
        features = nn.Sequential(modules);
        register_module("features", features);
    }

    public IEnumerable<(string Name, nn.Module Module)> Stages =>
        parts.Where(p => p.Module.parameters().Any()).Select(p => ("features." + p.Name, (nn.Module)p.Module));

    public override Tensor forward(Tensor input) => features.forward(input);
}
