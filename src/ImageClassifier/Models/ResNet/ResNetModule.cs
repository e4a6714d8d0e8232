using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ImageClassifier.Models.ResNet;

/// <summary>
/// torchvision's ResNet trunk (conv1, bn1, relu, maxpool, layer1..layerN) for BasicBlocks.
/// Written here rather than taken from TorchVision (TorchSharp's): that one is fixed at [2,2,2,2]
/// with other module names, and has no small-input stem. Each convolution and its batch norm run through
/// <see cref="ConvBatchNorm"/> (channels-last, batch norm folded in inference, bfloat16 by policy); the output
/// is float32.
/// </summary>
public sealed class ResNetModule : nn.Module<Tensor, Tensor>, IStagedModule
{
    readonly Conv2d conv1;
    readonly BatchNorm2d bn1;
    readonly nn.Module<Tensor, Tensor> relu;
    readonly nn.Module<Tensor, Tensor>? maxpool;
    readonly List<(string Name, nn.Module<Tensor, Tensor> Stage)> stages = [];

    public ResNetModule(ResNetBackbone spec, int inChannels) : base("ResNet")
    {
        int[] widths = spec.StageWidths;
        ParameterBudget.Claim((double)inChannels * widths[0] * (spec.SmallInput ? 9 : 49) + 4.0 * widths[0], $"ResNet stem of {widths[0]:N0} channels");
        conv1 = spec.SmallInput
            ? nn.Conv2d(inChannels, widths[0], 3, stride: 1, padding: 1, bias: false)
            : nn.Conv2d(inChannels, widths[0], 7, stride: 2, padding: 3, bias: false);
        bn1 = nn.BatchNorm2d(widths[0]);
        relu = nn.ReLU(inplace: true);
        maxpool = spec.SmallInput ? null : nn.MaxPool2d(3, 2, 1);
        register_module("conv1", conv1);
        register_module("bn1", bn1);
        register_module("relu", relu);
        if (maxpool is not null) register_module("maxpool", maxpool);

        int channels = widths[0];
        for (int s = 0; s < spec.Blocks.Length; s++)
        {
            var blocks = new List<(string, nn.Module<Tensor, Tensor>)>();
            for (int b = 0; b < spec.Blocks[s]; b++)
            {
                int stride = b == 0 && s > 0 ? 2 : 1;
                blocks.Add((b.ToString(), new BasicBlock(channels, widths[s], stride)));
                channels = widths[s];
            }
            var stage = nn.Sequential(blocks);
            stages.Add(($"layer{s + 1}", stage));
            register_module($"layer{s + 1}", stage);
        }
    }

    public IEnumerable<(string Name, nn.Module Module)> Stages =>
        new (string, nn.Module)[] { ("conv1", conv1), ("bn1", bn1) }.Concat(stages.Select(s => (s.Name, (nn.Module)s.Stage)));

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = ConvBatchNorm.Input(input);
        x = relu.forward(ConvBatchNorm.Forward(conv1, bn1, x));
        if (maxpool is not null) x = maxpool.forward(x);
        foreach (var (_, stage) in stages) x = stage.forward(x);
        return ConvBatchNorm.Output(x).MoveToOuterDisposeScope();
    }
}

/// <summary>Two 3x3 convolutions with batch norm and a shortcut (a 1x1 convolution when the shape changes).</summary>
public sealed class BasicBlock : nn.Module<Tensor, Tensor>
{
    readonly Conv2d conv1, conv2;
    readonly BatchNorm2d bn1, bn2;
    readonly nn.Module<Tensor, Tensor> relu;
    readonly (Conv2d Conv, BatchNorm2d Bn)? shortcut;

    public BasicBlock(int inChannels, int outChannels, int stride) : base("BasicBlock")
    {
        bool projects = stride != 1 || inChannels != outChannels;
        ParameterBudget.Claim(9.0 * outChannels * (inChannels + outChannels) + 8.0 * outChannels + (projects ? (inChannels + 4.0) * outChannels : 0),
            $"ResNet block of {outChannels:N0} channels");
        conv1 = nn.Conv2d(inChannels, outChannels, 3, stride: stride, padding: 1, bias: false);
        bn1 = nn.BatchNorm2d(outChannels);
        relu = nn.ReLU(inplace: true);
        conv2 = nn.Conv2d(outChannels, outChannels, 3, stride: 1, padding: 1, bias: false);
        bn2 = nn.BatchNorm2d(outChannels);
        register_module("conv1", conv1);
        register_module("bn1", bn1);
        register_module("relu", relu);
        register_module("conv2", conv2);
        register_module("bn2", bn2);
        if (projects)
        {
            shortcut = (nn.Conv2d(inChannels, outChannels, 1, stride: stride, bias: false), nn.BatchNorm2d(outChannels));
            register_module("downsample", nn.Sequential(("0", shortcut.Value.Conv), ("1", shortcut.Value.Bn)));
        }
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var output = ConvBatchNorm.Forward(conv2, bn2, relu.forward(ConvBatchNorm.Forward(conv1, bn1, input)));
        output.add_(shortcut is var (conv, bn) ? ConvBatchNorm.Forward(conv, bn, input) : input);
        return relu.forward(output).MoveToOuterDisposeScope();
    }
}
