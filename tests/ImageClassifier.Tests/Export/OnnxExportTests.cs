using Xunit.Abstractions;
using ImageClassifier.Export.Onnx;
using ImageClassifier.Imaging;
using ImageClassifier.Models;
using ImageClassifier.Models.Layers;
using ImageClassifier.Models.Pretrained;
using ImageClassifier.Tests.TestSupport;
using Onnx;
using static TorchSharp.torch;

namespace ImageClassifier.Tests.Export;

/// <summary>
/// ONNX export: every registry architecture, a transfer model on the ImageNet ResNet18 and a model with every layer kind,
/// run by ONNX Runtime, equal TorchSharp's outputs to 1e-4 with and without the preprocessing in the graph; onnx.checker
/// (full check) accepts every file.
/// </summary>
public class OnnxExportTests(ITestOutputHelper output)
{
    const double Tolerance = 1e-4;
    static readonly string[] ThreeClasses = ["cat", "dog", "bird"];

    /// <summary>Small inputs that each architecture allows (VGG16 needs 32 pixels; the ImageNet stems take anything).</summary>
    static int[] InputFor(string architecture) => architecture switch
    {
        "tutorial-cnn" or "mlp" => [1, 28, 28],
        _ => [3, 32, 32],
    };

    static readonly string[] small = ["tutorial-cnn", "mlp", "resnet-small", "resnet-fast"];

    public static TheoryData<string> SmallArchitectures() => [.. small];

    /// <summary>The rest of the registry, whatever it holds: a new architecture is checked without touching this test.</summary>
    public static TheoryData<string> LargeArchitectures() => [.. ModelRegistry.Entries.Select(e => e.Name).Except(small)];

    [SkippableTheory]
    [MemberData(nameof(SmallArchitectures))]
    public void Small_registry_architectures_equal_torchsharp_in_onnx_runtime(string architecture) => CheckArchitecture(architecture);

    [SkippableTheory]
    [Trait("Category", "Slow")]
    [MemberData(nameof(LargeArchitectures))]
    public void Large_registry_architectures_equal_torchsharp_in_onnx_runtime(string architecture) => CheckArchitecture(architecture);

    void CheckArchitecture(string architecture)
    {
        int[] shape = InputFor(architecture);
        var preprocessing = shape[0] == 3 ? Preprocessing.Standardize([0.5f, 0.4f, 0.3f], [0.25f, 0.2f, 0.3f]) : Preprocessing.Standardize([0.3f], [0.35f]);
        manual_seed(11);
        using var model = new Classifier(ModelRegistry.Create(architecture, shape, 3), ThreeClasses, preprocessing);
        OnnxParity.RandomizeBatchNorm(model);
        CheckBothWays(model, architecture, batch: 3);
    }

    [SkippableFact]
    [Trait("Category", "Slow")]
    public void A_transfer_model_on_the_imagenet_resnet18_equals_torchsharp_in_onnx_runtime()
    {
        manual_seed(12);
        using var model = TransferLearning.FromPretrained("resnet18-imagenet", ThreeClasses); // BGR, mean image, 224x224
        CheckBothWays(model, "resnet18-imagenet transfer", batch: 2);
    }

    [SkippableFact]
    public void Every_layer_kind_and_activation_equals_torchsharp_in_onnx_runtime()
    {
        manual_seed(13);
        using var model = new Classifier(new ModelSpec("every-layer", [3, 15, 13], 4,
        [
            new Augment("flip,translate=0.1", Seed: 1), new MeanImageSubtraction(),
            new Conv2D(8, 3, Stride: 2, Padding: "same", Activation: "gelu"), new BatchNorm(), new Activation("elu"),
            new Conv2D(8, 2, Padding: "same", Activation: "selu", UseBias: false), new AvgPool2D(2), new Activation("silu"),
            new Conv2D(6, 1, Activation: "leaky_relu"), new MaxPool2D(2, Stride: 1), new Activation("tanh"),
            new Conv2D(6, 1, Activation: "softmax"), new Activation("sigmoid"), new Activation("linear"),
            new Flatten(), new Dense(16, "swish"), new BatchNorm(0.9, 1e-5), new Dropout(0.3), new Dense(8, "relu"), new Dense(4),
        ]), ["a", "b", "c", "d"], new Preprocessing(1f / 128, [0.9f, 1.1f, 1f], [0.5f, 0.6f, 0.7f], "bgr"));
        OnnxParity.RandomizeBatchNorm(model);
        var meanImage = model.Network.Layers.Select(l => l.Module).OfType<MeanImageModule>().Single();
        using (var mean = rand(3, 15, 13)) meanImage.SetMean(mean);
        CheckBothWays(model, "every layer", batch: 5);
    }

    [Fact]
    public void Softmax_output_equals_torchsharp_probabilities_and_the_batch_size_is_free()
    {
        manual_seed(14);
        using var model = Classifier.Create("tutorial-cnn", new ImageShape(1, 28, 28), ThreeClasses);
        using var dir = new TempDirectory();
        foreach (int batch in new[] { 1, 7 })
        {
            using var pixels = OnnxParity.Pixels(model, batch);
            double difference = OnnxParity.MaxDifference(model, pixels, dir.File($"softmax{batch}.onnx"), new OnnxExportOptions(IncludePreprocessing: true, Softmax: true));
            output.WriteLine($"batch {batch}: largest probability difference {difference:E2}");
            Assert.True(difference <= 1e-6, $"batch {batch}: {difference:E2}");
        }
        using var session = OnnxParity.Session(dir.File("softmax1.onnx"));
        Assert.Equal("probabilities", session.OutputMetadata.Keys.Single());
        Assert.Equal(-1, session.InputMetadata["pixels"].Dimensions[0]); // dynamic: "batch"
    }

    [Fact]
    public void The_file_carries_opset_17_class_names_preprocessing_and_the_project_version()
    {
        using var dir = new TempDirectory();
        manual_seed(15);
        using var model = Classifier.Create("mlp", new ImageShape(1, 28, 28), ["T-shirt/top", "Trouser, long", "Bag \"x\""], Preprocessing.Standardize([0.28f], [0.35f]));
        model.Training = new TrainingSummary("/data/fashion", 10, 0, 1, 1, "adam", 1e-3, 8, 1, 1, []);
        string path = dir.File("model.onnx");
        OnnxExporter.Export(model, path, new OnnxExportOptions());

        var proto = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        Assert.Equal(8, proto.IrVersion);
        Assert.Equal(17, proto.OpsetImport.Single().Version);
        Assert.Equal("ImageClassifier", proto.ProducerName);
        using var session = OnnxParity.Session(path);
        var metadata = session.ModelMetadata.CustomMetadataMap;
        var info = OnnxMetadata.Read(metadata, path);
        Assert.Equal(model.ClassNames, info.ClassNames);
        Assert.Equal(model.InputShape, info.InputShape);
        Assert.Equal(model.Preprocessing.Mean, info.Preprocessing.Mean);
        Assert.Equal(model.Preprocessing.Std, info.Preprocessing.Std);
        Assert.Equal(model.Preprocessing.Scale, info.Preprocessing.Scale);
        Assert.False(info.PreprocessingInGraph);
        Assert.Equal("/data/fashion", info.TrainedOn);
        Assert.Equal(OnnxMetadata.ProjectVersion, metadata["imgclass.version"]);
        Assert.Equal(typeof(OnnxExporter).Assembly.GetName().Version!.ToString(3), metadata["imgclass.version"].Split('+')[0]);
        Assert.Equal("[\"T-shirt/top\",\"Trouser, long\",\"Bag \\u0022x\\u0022\"]", metadata["imgclass.class_names"]);
        // initializers carry the network's state-dict names: the weights are readable from the file
        Assert.Contains(proto.Graph.Initializer, t => t.Name == "layers.dense.linear.weight" && t.Dims.SequenceEqual([128L, 784]));
    }

    [Fact]
    public void A_layer_the_exporter_does_not_know_is_a_clear_error_naming_it()
    {
        using var dir = new TempDirectory();
        using var model = new Classifier(new ModelSpec("custom", [1, 4, 4], 2, [new Flatten(), new Mystery(), new Dense(2)]), ["a", "b"]);
        var error = Assert.Throws<ModelException>(() => OnnxExporter.Export(model, dir.File("custom.onnx")));
        Assert.Contains("Layer 'mystery' (Mystery) cannot be exported to ONNX", error.Message);
        Assert.False(File.Exists(dir.File("custom.onnx")));
    }

    sealed record Mystery : LayerSpec
    {
        public override string Kind => "Mystery";
        public override (nn.Module<Tensor, Tensor>, int[]) Build(int[] input) => (nn.Identity(), input);
    }

    /// <summary>Exports with and without the preprocessing in the graph, compares with TorchSharp, and has onnx.checker check both files.</summary>
    void CheckBothWays(Classifier model, string name, int batch)
    {
        using var dir = new TempDirectory();
        using var pixels = OnnxParity.Pixels(model, batch);
        var files = new List<string>();
        foreach (bool inGraph in new[] { false, true })
        {
            string path = dir.File(inGraph ? "with-preprocessing.onnx" : "plain.onnx");
            double difference = OnnxParity.MaxDifference(model, pixels, path, new OnnxExportOptions(IncludePreprocessing: inGraph));
            using var logits = model.PredictLogits(pixels);
            output.WriteLine($"{name}, preprocessing {(inGraph ? "in the graph" : "outside")}: largest logit difference {difference:E2} " +
                $"(logits up to {logits.abs().max().item<float>():0.00}), {new FileInfo(path).Length / 1e6:0.0} MB");
            Assert.True(difference <= Tolerance, $"{name} (preprocessing in graph: {inGraph}): largest logit difference {difference:E2}");
            files.Add(path);
        }
        Skip.If(OnnxChecker.Unavailable is not null, OnnxChecker.Unavailable);
        output.WriteLine(OnnxChecker.Check([.. files]));
    }
}
