using Onnx;
using static TorchSharp.torch;

namespace ImageClassifier.Models.Pretrained;

/// <summary>Weights taken from an ONNX ResNet: a torchvision-named state dict and the blocks per stage it implies.</summary>
public sealed record ImportedResNet(Dictionary<string, Tensor> StateDict, int[] Blocks, IReadOnlyDictionary<string, string> NameOf);

/// <summary>
/// Maps the initializers of an ONNX ResNet of BasicBlocks (the CNTK export in ML.NET's
/// DnnImageFeaturizer package: every conv followed by an unfolded BatchNormalization) onto
/// torchvision names by tracing the graph, not by node order: each Add closes a block, its inputs are
/// the main branch (conv-bn-relu-conv-bn) and the shortcut (the block input, or conv-bn: the
/// downsample, which CNTK emits before the block's conv1). A block with a downsample starts a stage.
/// </summary>
public static class OnnxResNetImport
{
    public static ImportedResNet Import(GraphProto graph)
    {
        var trace = new GraphTrace(graph);
        var names = new Dictionary<string, string>();
        var stateDict = new Dictionary<string, Tensor>();

        void Map(ConvBn pair, string conv, string bn)
        {
            if (pair.Bn.Input.Count != 5) throw trace.Fail($"BatchNormalization {pair.Bn.Name} has {pair.Bn.Input.Count} inputs, not 5");
            float epsilon = pair.Bn.Attribute.FirstOrDefault(a => a.Name == "epsilon")?.F ?? 1e-5f;
            if (Math.Abs(epsilon - 1e-5f) > 1e-9f) throw trace.Fail($"BatchNormalization {pair.Bn.Name} has epsilon {epsilon}, not torch's 1e-5");
            Add(pair.Conv.Input[1], conv + ".weight");
            string[] fields = ["weight", "bias", "running_mean", "running_var"];
            for (int i = 0; i < 4; i++) Add(pair.Bn.Input[i + 1], $"{bn}.{fields[i]}");
        }

        void Add(string initializer, string name)
        {
            if (!trace.Initializers.TryGetValue(initializer, out var proto)) throw trace.Fail($"{name} should be an initializer, but {initializer} is computed");
            if (!names.TryAdd(initializer, name)) throw trace.Fail($"initializer {initializer} is used twice");
            stateDict[name] = OnnxFile.ToTensor(proto);
        }

        // Stem: conv-bn-relu on the graph input, then max pool.
        var stemConv = graph.Node.FirstOrDefault(n => n.OpType == "Conv" && n.Input[0] == trace.Input) ?? throw trace.Fail("no convolution reads the input");
        var stemBn = trace.ConsumerOf(stemConv.Output[0], "BatchNormalization");
        var stemRelu = trace.ConsumerOf(stemBn.Output[0], "Relu");
        var pool = trace.ConsumerOf(stemRelu.Output[0], "MaxPool");
        Map(new ConvBn(stemConv, stemBn, trace.Input), "conv1", "bn1");

        string trunk = pool.Output[0];
        var blocks = new List<int>();
        foreach (var add in graph.Node.Where(n => n.OpType == "Add"))
        {
            var (main1, main2, shortcut) = trace.Block(add, trunk);
            bool newStage = blocks.Count == 0 || shortcut is not null;
            if (newStage) blocks.Add(0);
            string prefix = $"layer{blocks.Count}.{blocks[^1]}";
            blocks[^1]++;
            Map(main1, prefix + ".conv1", prefix + ".bn1");
            Map(main2, prefix + ".conv2", prefix + ".bn2");
            if (shortcut is not null) Map(shortcut, prefix + ".downsample.0", prefix + ".downsample.1");
            trunk = trace.ConsumerOf(add.Output[0], "Relu").Output[0];
        }
        if (blocks.Count == 0) throw trace.Fail("it has no residual blocks");
        var unused = trace.Initializers.Keys.Where(k => !names.ContainsKey(k)).ToList();
        if (unused.Count > 0) throw trace.Fail($"{unused.Count} initializers are not part of the traced ResNet ({string.Join(", ", unused.Take(5))})");
        return new ImportedResNet(stateDict, [.. blocks], names);
    }

    /// <summary>
    /// The mean image [C, H, W] and channel order of a preprocessing graph such as ResNetPreprocess.onnx
    /// (Split into R, G, B; Concat as B, G, R; Sub the mean image).
    /// </summary>
    public static (Tensor MeanImage, string ChannelOrder) ImportPreprocessing(GraphProto graph)
    {
        var trace = new GraphTrace(graph);
        var sub = graph.Node.FirstOrDefault(n => n.OpType == "Sub") ?? throw trace.Fail("no Sub node subtracts a mean image");
        var meanName = sub.Input.FirstOrDefault(trace.Initializers.ContainsKey) ?? throw trace.Fail("the Sub node has no constant mean image");
        var mean = OnnxFile.ToTensor(trace.Initializers[meanName]);
        if (mean.dim() == 4) mean = mean.squeeze(0);
        if (mean.dim() != 3) throw trace.Fail($"the mean image has shape [{string.Join(", ", mean.shape)}], not [C, H, W]");
        var split = graph.Node.FirstOrDefault(n => n.OpType == "Split");
        var concat = graph.Node.FirstOrDefault(n => n.OpType == "Concat");
        bool reversed = split is not null && concat is not null && concat.Input.SequenceEqual(split.Output.Reverse());
        return (mean, reversed ? "bgr" : "rgb");
    }

    sealed record ConvBn(NodeProto Conv, NodeProto Bn, string Input);

    sealed class GraphTrace
    {
        readonly Dictionary<string, NodeProto> producers = [];
        readonly ILookup<string, NodeProto> consumers;

        public GraphTrace(GraphProto graph)
        {
            Initializers = graph.Initializer.ToDictionary(i => i.Name);
            foreach (var node in graph.Node)
                foreach (string output in node.Output) producers[output] = node;
            consumers = graph.Node.SelectMany(n => n.Input.Select(i => (i, n))).ToLookup(p => p.i, p => p.n);
            Input = graph.Input.Select(i => i.Name).FirstOrDefault(n => !Initializers.ContainsKey(n)) ?? throw Fail("it has no input");
        }

        public Dictionary<string, TensorProto> Initializers { get; }
        public string Input { get; }

        public ModelException Fail(string why) => new($"The ONNX graph does not trace as a ResNet of basic blocks: {why}.");

        public NodeProto ConsumerOf(string tensor, string opType) =>
            consumers[tensor].FirstOrDefault(n => n.OpType == opType) ?? throw Fail($"no {opType} reads {tensor}");

        NodeProto? Producer(string tensor, string opType) =>
            producers.TryGetValue(tensor, out var node) && node.OpType == opType ? node : null;

        /// <summary>BatchNormalization(Conv(x)) producing <paramref name="tensor"/>, or null.</summary>
        ConvBn? AsConvBn(string tensor)
        {
            var bn = Producer(tensor, "BatchNormalization");
            var conv = bn is null ? null : Producer(bn.Input[0], "Conv");
            return conv is null ? null : new ConvBn(conv, bn!, conv.Input[0]);
        }

        /// <summary>The two main-branch conv-bn pairs of the block closed by <paramref name="add"/> and its downsample, if any.</summary>
        public (ConvBn First, ConvBn Second, ConvBn? Shortcut) Block(NodeProto add, string blockInput)
        {
            if (add.Input.Count != 2) throw Fail($"Add {add.Name} has {add.Input.Count} inputs");
            foreach (var (main, other) in new[] { (add.Input[0], add.Input[1]), (add.Input[1], add.Input[0]) })
            {
                var second = AsConvBn(main);
                var relu = second is null ? null : Producer(second.Input, "Relu");
                var first = relu is null ? null : AsConvBn(relu.Input[0]);
                if (first is null || first.Input != blockInput) continue;
                if (other == blockInput) return (first, second!, null);
                var shortcut = AsConvBn(other);
                if (shortcut is not null && shortcut.Input == blockInput) return (first, second!, shortcut);
            }
            throw Fail($"Add {add.Name} does not join conv-bn-relu-conv-bn with a shortcut from the block input {blockInput}");
        }
    }
}
