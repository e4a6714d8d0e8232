using TorchSharp;
using static TorchSharp.torch;

namespace ImageClassifier.Models.Layers;

/// <summary>2-D convolution with Keras' "valid"/"same" padding and an optional fused activation.</summary>
public sealed record Conv2D(int Filters, int KernelSize = 3, int Stride = 1, string Padding = "valid", string? Activation = null, bool UseBias = true) : LayerSpec
{
    public override string Kind => "Conv2D";

    public override (nn.Module<Tensor, Tensor>, int[]) Build(int[] input)
    {
        RequireImage(input, Kind);
        if (Filters < 1 || KernelSize < 1 || Stride < 1)
            throw new ModelException($"Conv2D needs positive filters, kernel size and stride (got {Filters}, {KernelSize}, {Stride}).");
        int channels = input[0], height = input[1], width = input[2];
        var (padTop, padBottom, outH) = PadFor(height);
        var (padLeft, padRight, outW) = PadFor(width);
        if (outH < 1 || outW < 1)
            throw new ModelException($"Conv2D with kernel {KernelSize} does not fit its input {Shapes.Format(input)}: the image is too small at this depth.");
        ParameterBudget.Claim((double)channels * Filters * KernelSize * KernelSize + (UseBias ? Filters : 0), $"Conv2D({Filters}, {KernelSize}x{KernelSize}) on {channels:N0} channels");
        var module = new ConvModule(channels, this, [padLeft, padRight, padTop, padBottom]);
        return (module, [Filters, outH, outW]);
    }

    public override long MultiplyAdds(int[] input) =>
        (long)Filters * PadFor(input[1]).Output * PadFor(input[2]).Output * input[0] * KernelSize * KernelSize;

    // Keras "same": output = ceil(in / stride), with the odd pixel of padding on the bottom/right.
    internal (int Before, int After, int Output) PadFor(int size)
    {
        if (Padding.Equals("valid", StringComparison.OrdinalIgnoreCase))
            return (0, 0, (size - KernelSize) / Stride + 1);
        if (!Padding.Equals("same", StringComparison.OrdinalIgnoreCase))
            throw new ModelException($"Conv2D padding must be 'valid' or 'same', not '{Padding}'.");
        int output = (size + Stride - 1) / Stride;
        int total = Math.Max((output - 1) * Stride + KernelSize - size, 0);
        return (total / 2, total - total / 2, output);
    }

    /// <summary>
    /// The convolution: parameters conv.weight and conv.bias. Its output is channels-last
    /// (<see cref="Engine.ChannelsLast"/>), so the max pooling and convolutions after it run libtorch's
    /// channels-last kernels: max pooling on NCHW is 10x slower (measured: 15 ms against 1.5 ms for the
    /// tutorial CNN's first pooling at batch 128), and the whole network trains about 1.2x faster.
    /// In bfloat16 (<see cref="Engine.ComputePrecision"/>) it computes on bfloat16 copies of its input and
    /// weights and returns float32, so gradients reach the float32 weights. In float32 a one-channel input (the first layer on
    /// grayscale images) is one matrix multiply instead (<see cref="SingleChannelConvolution"/>).
    /// </summary>
    internal sealed class ConvModule : nn.Module<Tensor, Tensor>
    {
        readonly TorchSharp.Modules.Conv2d conv;
        readonly nn.Module<Tensor, Tensor>? activation;
        readonly long[] padding;          // left, right, top, bottom
        readonly bool convolutionPads;    // even padding, which libtorch's convolution does itself
        readonly bool relu;

        public ConvModule(int inChannels, Conv2D spec, long[] pad) : base("Conv2D")
        {
            convolutionPads = pad[0] == pad[1] && pad[2] == pad[3];
            conv = nn.Conv2d(inChannels, spec.Filters, (spec.KernelSize, spec.KernelSize), (spec.Stride, spec.Stride),
                convolutionPads ? (pad[2], pad[0]) : (0, 0), bias: spec.UseBias);
            padding = pad;
            relu = string.Equals(spec.Activation, "relu", StringComparison.OrdinalIgnoreCase);
            activation = Activations.Create(spec.Activation);
            RegisterComponents();
        }

        /// <summary>Whether the activation is relu, which <see cref="Forward"/> can leave out.</summary>
        public bool EndsInRelu => relu;

        public override Tensor forward(Tensor input) => Forward(input, activate: true);

        /// <param name="activate">False leaves a relu out, for SequentialNetwork to apply after the max pooling that follows.</param>
        public Tensor Forward(Tensor input, bool activate)
        {
            using var scope = NewDisposeScope();
            if (!Engine.ComputePrecision.BFloat16 && SingleChannelConvolution.Takes(input))
            {
                var padded = padding.All(p => p == 0) ? input : nn.functional.pad(input, padding);
                var product = SingleChannelConvolution.Forward(padded, conv.weight!, conv.bias, conv.stride[0], relu && activate);
                return (relu || activation is null ? product : activation.forward(product)).MoveToOuterDisposeScope();
            }
            var x = convolutionPads ? input : nn.functional.pad(input, padding);
            Tensor weight = conv.weight!;
            Tensor? bias = conv.bias;
            bool bfloat16 = Engine.ComputePrecision.BFloat16;
            if (bfloat16) (x, weight, bias) = (x.to(ScalarType.BFloat16), weight.to(ScalarType.BFloat16), bias?.to(ScalarType.BFloat16));
            var output = nn.functional.conv2d(Engine.ChannelsLast.Of(x), Engine.ChannelsLast.Of(weight), bias, conv.stride, conv.padding);
            if (bfloat16) output = output.to(ScalarType.Float32);
            // relu in place: the convolution's backward needs its input, not its output, so a pass and a buffer go. It
            // goes before the layout below, which may be a view: in place on a view, autograd copies the whole tensor back.
            if (relu && activate) output.relu_();
            // A single-channel input is the same bytes in either layout, so libtorch may answer in NCHW: lay it out again.
            output = Engine.ChannelsLast.Of(output);
            return (relu || activation is null ? output : activation.forward(output)).MoveToOuterDisposeScope();
        }
    }
}
