using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ImageClassifier.Models.ResNet9;

/// <summary>
/// <see cref="ResNet9Backbone"/>'s network. Modules: stage0..stage3 (each conv, bn) and residual1, residual3
/// (each 0 and 1, two conv-bn units). In bfloat16 (<see cref="Engine.ComputePrecision"/>) the input is cast
/// once and each convolution uses a bfloat16 copy of its float32 weight, so gradients reach the float32
/// weights; batch norm keeps float32 statistics; the output is float32. Activations are channels-last
/// (<see cref="Engine.ChannelsLast"/>) throughout.
/// </summary>
public sealed class ResNet9Module : nn.Module<Tensor, Tensor>, IStagedModule
{
    readonly List<(string Name, nn.Module<Tensor, Tensor> Module, bool PoolFirst)> parts = [];

    public ResNet9Module(ResNet9Backbone spec, int inChannels) : base("ResNet9")
    {
        int channels = inChannels;
        for (int stage = 0; stage < 4; stage++)
        {
            int width = spec.Widths[stage];
            Add($"stage{stage}", new ConvUnit(channels, width), poolFirst: stage > 0);
            if (ResNet9Backbone.ResidualStages.Contains(stage))
                Add($"residual{stage}", new ResidualUnit(width), poolFirst: false);
            channels = width;
        }
    }

    void Add(string name, nn.Module<Tensor, Tensor> module, bool poolFirst)
    {
        parts.Add((name, module, poolFirst));
        register_module(name, module);
    }

    public IEnumerable<(string Name, nn.Module Module)> Stages => parts.Select(p => (p.Name, (nn.Module)p.Module));

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = Engine.ChannelsLast.Of(Engine.ComputePrecision.BFloat16 ? input.to(ScalarType.BFloat16) : input);
        foreach (var (_, module, poolFirst) in parts)
            x = module.forward(poolFirst ? nn.functional.max_pool2d(x, [2, 2]) : x);
        return x.to(ScalarType.Float32).contiguous().MoveToOuterDisposeScope();
    }
}

/// <summary>A 3x3 convolution (padding 1, no bias), batch norm and ReLU, computing in its input's number format.</summary>
public sealed class ConvUnit : nn.Module<Tensor, Tensor>
{
    readonly Conv2d conv;
    readonly BatchNorm2d bn;

    public ConvUnit(int inChannels, int outChannels) : base("ConvUnit")
    {
        ParameterBudget.Claim(9.0 * inChannels * outChannels + 4.0 * outChannels, $"ResNet-9 convolution of {outChannels:N0} channels");
        conv = nn.Conv2d(inChannels, outChannels, 3, padding: 1, bias: false);
        bn = nn.BatchNorm2d(outChannels);
        register_module("conv", conv);
        register_module("bn", bn);
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var weight = Engine.ChannelsLast.Of(conv.weight!.dtype == input.dtype ? conv.weight : conv.weight.to(input.dtype));
        var x = nn.functional.conv2d(input, weight, padding: [1, 1]);
        return nn.functional.relu(bn.call(x), inplace: true).MoveToOuterDisposeScope();
    }
}

/// <summary>Two conv units whose output is added to their input.</summary>
public sealed class ResidualUnit : nn.Module<Tensor, Tensor>
{
    readonly ConvUnit first, second;

    public ResidualUnit(int width) : base("ResidualUnit")
    {
        first = new ConvUnit(width, width);
        second = new ConvUnit(width, width);
        register_module("0", first);
        register_module("1", second);
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return (second.forward(first.forward(input)) + input).MoveToOuterDisposeScope();
    }
}
