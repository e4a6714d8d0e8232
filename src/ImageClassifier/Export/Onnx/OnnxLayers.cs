using ImageClassifier.Models;
using ImageClassifier.Models.Layers;
using ImageClassifier.Models.ResNet;
using ImageClassifier.Models.ResNet9;
using ImageClassifier.Models.Vgg;
using static ImageClassifier.Export.Onnx.OnnxGraph;
using static TorchSharp.torch;

namespace ImageClassifier.Export.Onnx;

/// <summary>
/// Writes each layer of a <see cref="SequentialNetwork"/> as ONNX nodes, in inference form: dropout and
/// augmentation layers (training only) are left out, batch norm uses its running statistics. Initializers
/// are named by the network's state-dict keys (layers.conv2d.conv.weight, layers.resnet.layer1.0.bn1.running_mean,
/// ...), so the file doubles as a readable copy of the weights.
/// </summary>
internal sealed class OnnxLayers(OnnxGraph graph)
{
    /// <summary>Adds <paramref name="layer"/>'s nodes on <paramref name="x"/> (its input of shape <paramref name="input"/>, no batch); returns the output.</summary>
    public string Add(Layer layer, string x, int[] input)
    {
        var weights = new Weights(layer, graph);
        string name = layer.Name;
        switch (layer.Spec)
        {
            case Conv2D conv:
                var (top, bottom, _) = conv.PadFor(input[1]);
                var (left, right, _) = conv.PadFor(input[2]);
                x = Conv(name, x, weights, "conv.", conv.KernelSize, conv.Stride, [top, left, bottom, right]);
                return OnnxActivations.Add(graph, name, x, conv.Activation);
            case Dense dense:
                string prefix = weights.Has("linear.weight") ? "linear." : "";
                x = graph.Node("Gemm", name, [x, weights.Get(prefix + "weight"), weights.Get(prefix + "bias")], Int("transB", 1));
                return OnnxActivations.Add(graph, name, x, dense.Activation);
            case BatchNorm norm:
                return BatchNormalization(name, x, weights, "", (float)norm.Epsilon);
            case Activation activation:
                return OnnxActivations.Add(graph, name, x, activation.Function);
            case MaxPool2D pool:
                return graph.Node("MaxPool", name, [x], Ints("kernel_shape", pool.PoolSize, pool.PoolSize), Ints("strides", Twice(pool.Stride ?? pool.PoolSize)));
            case AvgPool2D pool:
                return graph.Node("AveragePool", name, [x], Ints("kernel_shape", pool.PoolSize, pool.PoolSize), Ints("strides", Twice(pool.Stride ?? pool.PoolSize)));
            case GlobalAveragePool:
                return graph.Node("Flatten", name + "/flatten", [graph.Node("GlobalAveragePool", name, [x])], Int("axis", 1));
            case GlobalMaxPool:
                return graph.Node("Flatten", name + "/flatten", [graph.Node("GlobalMaxPool", name, [x])], Int("axis", 1));
            case Flatten:
                return graph.Node("Flatten", name, [x], Int("axis", 1));
            case MeanImageSubtraction:
                return graph.Node("Sub", name, [x, weights.Get("mean")]);
            case Dropout or Augment:
                return x; // training only: the identity at inference
            case ResNetBackbone resnet:
                return ResNet(name, x, weights, resnet);
            case ResNet9Backbone resnet9:
                return ResNet9(name, x, weights);
            case VggBackbone vgg:
                return Vgg(name, x, weights, vgg);
            default:
                throw new ModelException($"Layer '{layer.Name}' ({layer.Spec.Kind}) cannot be exported to ONNX: the exporter has no translation for {layer.Spec.GetType().Name} layers. " +
                    "It exports Conv2D, Dense, BatchNormalization, Activation, pooling, Flatten, Dropout, Augmentation, MeanImage, ResNet, ResNet9 and VGG layers.");
        }
    }

    string Conv(string name, string x, Weights weights, string prefix, long kernel, long stride, long[] pads)
    {
        List<string> inputs = [x, weights.Get(prefix + "weight")];
        if (weights.Has(prefix + "bias")) inputs.Add(weights.Get(prefix + "bias"));
        return graph.Node("Conv", name, inputs, Ints("kernel_shape", kernel, kernel), Ints("strides", stride, stride), Ints("pads", pads), Ints("dilations", 1, 1));
    }

    // TorchSharp's BatchNorm2d default, which the ResNet and ResNet-9 modules use.
    const float TorchBatchNormEpsilon = 1e-5f;

    string BatchNormalization(string name, string x, Weights weights, string prefix, float epsilon = TorchBatchNormEpsilon) =>
        graph.Node("BatchNormalization", name, [x, weights.Get(prefix + "weight"), weights.Get(prefix + "bias"),
            weights.Get(prefix + "running_mean"), weights.Get(prefix + "running_var")], Float("epsilon", epsilon));

    /// <summary>The trunk of <see cref="ResNetModule"/>: stem, then BasicBlocks whose shortcut is the input or a 1x1 convolution.</summary>
    string ResNet(string name, string x, Weights weights, ResNetBackbone spec)
    {
        x = spec.SmallInput
            ? Conv($"{name}/conv1", x, weights, "conv1.", 3, 1, [1, 1, 1, 1])
            : Conv($"{name}/conv1", x, weights, "conv1.", 7, 2, [3, 3, 3, 3]);
        x = graph.Node("Relu", $"{name}/relu", [BatchNormalization($"{name}/bn1", x, weights, "bn1.")]);
        if (!spec.SmallInput)
            x = graph.Node("MaxPool", $"{name}/maxpool", [x], Ints("kernel_shape", 3, 3), Ints("strides", 2, 2), Ints("pads", 1, 1, 1, 1));
        for (int s = 0; s < spec.Blocks.Length; s++)
            for (int b = 0; b < spec.Blocks[s]; b++)
            {
                string block = $"layer{s + 1}.{b}.", node = $"{name}/layer{s + 1}.{b}";
                int stride = b == 0 && s > 0 ? 2 : 1;
                string y = Conv(node + "/conv1", x, weights, block + "conv1.", 3, stride, [1, 1, 1, 1]);
                y = graph.Node("Relu", node + "/relu1", [BatchNormalization(node + "/bn1", y, weights, block + "bn1.")]);
                y = BatchNormalization(node + "/bn2", Conv(node + "/conv2", y, weights, block + "conv2.", 3, 1, [1, 1, 1, 1]), weights, block + "bn2.");
                string shortcut = !weights.Has(block + "downsample.0.weight") ? x
                    : BatchNormalization(node + "/downsample.1", Conv(node + "/downsample.0", x, weights, block + "downsample.0.", 1, stride, [0, 0, 0, 0]),
                        weights, block + "downsample.1.");
                x = graph.Node("Relu", node + "/relu2", [graph.Node("Add", node + "/add", [y, shortcut])]);
            }
        return x;
    }

    /// <summary><see cref="ResNet9Module"/>: conv-bn-ReLU units, a 2x2 max pool before each later stage, residual units after stages 1 and 3.</summary>
    string ResNet9(string name, string x, Weights weights)
    {
        string Unit(string prefix, string input) => graph.Node("Relu", $"{name}/{prefix}relu",
            [BatchNormalization($"{name}/{prefix}bn", Conv($"{name}/{prefix}conv", input, weights, prefix + "conv.", 3, 1, [1, 1, 1, 1]), weights, prefix + "bn.")]);
        for (int stage = 0; stage < 4; stage++)
        {
            if (stage > 0) x = graph.Node("MaxPool", $"{name}/pool{stage}", [x], Ints("kernel_shape", 2, 2), Ints("strides", 2, 2));
            x = Unit($"stage{stage}.", x);
            if (!ResNet9Backbone.ResidualStages.Contains(stage)) continue;
            string y = Unit($"residual{stage}.1.", Unit($"residual{stage}.0.", x));
            x = graph.Node("Add", $"{name}/residual{stage}/add", [y, x]);
        }
        return x;
    }

    /// <summary><see cref="VggModule"/>'s features: 3x3 convolutions (padding 1) each followed by ReLU, and 2x2 max pools.</summary>
    string Vgg(string name, string x, Weights weights, VggBackbone spec)
    {
        int index = 0;
        foreach (string item in spec.Items)
        {
            if (item.Equals("M", StringComparison.OrdinalIgnoreCase))
            {
                x = graph.Node("MaxPool", $"{name}/features.{index}", [x], Ints("kernel_shape", 2, 2), Ints("strides", 2, 2));
                index += 1;
                continue;
            }
            x = Conv($"{name}/features.{index}", x, weights, $"features.{index}.", 3, 1, [1, 1, 1, 1]);
            x = graph.Node("Relu", $"{name}/features.{index + 1}", [x]);
            index += 2;
        }
        return x;
    }

    static long[] Twice(int value) => [value, value];

    /// <summary>A layer's tensors by their key in its state dict, added to the graph once, under the network's full key.</summary>
    sealed class Weights(Layer layer, OnnxGraph graph)
    {
        readonly Dictionary<string, Tensor> state = layer.Module.state_dict();
        readonly Dictionary<string, string> added = [];

        public bool Has(string key) => state.ContainsKey(key);

        public string Get(string key)
        {
            if (!state.TryGetValue(key, out var tensor))
                throw new ModelException($"Layer '{layer.Name}' ({layer.Spec.Kind}) cannot be exported to ONNX: it has no tensor '{key}' " +
                    $"(it has {string.Join(", ", state.Keys)}).");
            if (!added.TryGetValue(key, out string? name))
                added[key] = name = graph.Initializer(SequentialNetwork.KeyPrefix(layer) + key, tensor);
            return name;
        }
    }
}
