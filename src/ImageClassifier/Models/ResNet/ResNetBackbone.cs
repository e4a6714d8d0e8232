using ImageClassifier.Models.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace ImageClassifier.Models.ResNet;

/// <summary>
/// A ResNet of BasicBlocks without its top (no pooling, no fc): [C, H, W] to [Widths[^1], H', W'].
/// Blocks per stage: [2,2,2,2] is ResNet-18, [3,4,6,3] ResNet-34, [2,2,2,3] the ImageNet ResNet18
/// of ML.NET's DnnImageFeaturizer package. SmallInput replaces the 7x7/2 stem and max pool with a
/// 3x3/1 convolution, for 28 to 32 pixel images. Module names follow torchvision (conv1, bn1,
/// layer1.0.conv1, layer2.0.downsample.0, ...), so torchvision state dicts load unchanged.
/// </summary>
public sealed record ResNetBackbone(int[] Blocks, int[]? Widths = null, bool SmallInput = false) : LayerSpec
{
    public override string Kind => "ResNet";
    public override string NameBase => "resnet";

    [System.Text.Json.Serialization.JsonIgnore]
    public int[] StageWidths => Widths ?? [.. new[] { 64, 128, 256, 512 }.Take(Blocks.Length)];

    public override (nn.Module<Tensor, Tensor>, int[]) Build(int[] input)
    {
        RequireImage(input, Kind);
        if (Blocks.Length == 0 || Blocks.Any(b => b < 1) || StageWidths.Length != Blocks.Length || StageWidths.Any(w => w < 1))
            throw new ModelException($"A ResNet needs at least one stage, at least one block per stage and one width per stage (blocks [{string.Join(", ", Blocks)}], widths [{string.Join(", ", StageWidths)}]).");
        int height = input[1], width = input[2];
        if (!SmallInput)
        {
            (height, width) = (Halved(height), Halved(width));   // conv1 7x7/2, padding 3
            (height, width) = (Halved(height), Halved(width));   // maxpool 3x3/2, padding 1
        }
        for (int stage = 1; stage < Blocks.Length; stage++)
            (height, width) = (Halved(height), Halved(width));   // the first 3x3/2 conv of each later stage
        return (new ResNetModule(this, input[0]), [StageWidths[^1], height, width]);
    }

    /// <summary>The stem's and every block's convolutions (two 3x3, and the 1x1 shortcut where the shape changes), as ResNetModule builds them.</summary>
    public override long MultiplyAdds(int[] input)
    {
        int channels = input[0], height = input[1], width = input[2];
        long total;
        if (SmallInput) total = 9L * channels * StageWidths[0] * height * width;
        else
        {
            (height, width) = (Halved(height), Halved(width));
            total = 49L * channels * StageWidths[0] * height * width;
            (height, width) = (Halved(height), Halved(width));
        }
        channels = StageWidths[0];
        for (int stage = 0; stage < Blocks.Length; stage++)
            for (int block = 0; block < Blocks[stage]; block++)
            {
                int stride = stage > 0 && block == 0 ? 2 : 1, width0 = StageWidths[stage];
                if (stride == 2) (height, width) = (Halved(height), Halved(width));
                long pixels = (long)height * width;
                total += pixels * 9 * channels * width0 + pixels * 9 * width0 * width0;
                if (stride != 1 || channels != width0) total += pixels * channels * width0;
                channels = width0;
            }
        return total;
    }

    // Output size of a stride-2 layer with "half" padding (kernel 3 pad 1, 7 pad 3, 1 pad 0): ceil(n / 2).
    static int Halved(int size) => (size - 1) / 2 + 1;
}
