using ImageClassifier.Models.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace ImageClassifier.Models.ResNet9;

/// <summary>
/// The ResNet-9 layout of fast small-image training (Page's DAWNBench network, as airbench-style recipes use it),
/// without its top: four stages of a 3x3 convolution, batch norm and ReLU, with a 2x2 max pool before each
/// stage after the first and a residual block of two such convolutions after the second and fourth stages.
/// Widths [16, 32, 64, 128] on 28 x 28 images: 8.8M multiply-adds an image, most at 14 x 14 and below, where a
/// ResNet's unpooled stem runs at the full size. [C, H, W] to [Widths[3], H/8, W/8]. Convolutions compute in
/// bfloat16 where <see cref="Engine.ComputePrecision"/> says so.
/// </summary>
public sealed record ResNet9Backbone(int[] Widths) : LayerSpec
{
    /// <summary>The stages followed by a residual block.</summary>
    internal static readonly int[] ResidualStages = [1, 3];

    public override string Kind => "ResNet9";
    public override string NameBase => "resnet9";

    public override (nn.Module<Tensor, Tensor>, int[]) Build(int[] input)
    {
        RequireImage(input, Kind);
        if (Widths is not { Length: 4 } || Widths.Any(w => w < 1))
            throw new ModelException($"A ResNet-9 needs four positive stage widths, not [{string.Join(", ", Widths ?? [])}].");
        var (height, width) = Pooled(input);
        if (height < 1 || width < 1)
            throw new ModelException($"A ResNet-9 pools its input three times and needs at least 8 x 8 pixels, not {Shapes.Format(input)}.");
        return (new ResNet9Module(this, input[0]), [Widths[3], height, width]);
    }

    public override long MultiplyAdds(int[] input)
    {
        long total = 0;
        int channels = input[0], height = input[1], width = input[2];
        for (int stage = 0; stage < 4; stage++)
        {
            if (stage > 0) (height, width) = (height / 2, width / 2);
            long pixels = (long)height * width;
            total += pixels * 9 * channels * Widths[stage];
            if (ResidualStages.Contains(stage)) total += 2 * pixels * 9 * Widths[stage] * Widths[stage];
            channels = Widths[stage];
        }
        return total;
    }

    // Three 2x2 max pools ("valid": an odd row or column is dropped).
    static (int Height, int Width) Pooled(int[] input) => (input[1] / 2 / 2 / 2, input[2] / 2 / 2 / 2);
}
