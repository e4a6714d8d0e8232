using Xunit.Abstractions;
using ImageClassifier.Data;
using ImageClassifier.Imaging;
using ImageClassifier.Models;
using ImageClassifier.Models.Pretrained;
using ImageClassifier.Models.ResNet;
using ImageClassifier.Tests.TestSupport;
using ImageClassifier.Training;
using static TorchSharp.torch;

namespace ImageClassifier.Tests.Models.Pretrained;

/// <summary>The ImageNet ResNet18 of Microsoft.ML.DnnImageFeaturizer.ResNet18, ported to TorchSharp and checked against ONNX Runtime.</summary>
public class MlNetResNet18Tests(ITestOutputHelper output)
{
    static string ResNetFile => PackageFiles.Locate(PackageFiles.ResNet18);
    static string PreprocessFile => PackageFiles.Locate(PackageFiles.Preprocess);

    [Fact]
    public void The_package_files_are_copied_beside_the_build()
    {
        Assert.StartsWith(AppContext.BaseDirectory, ResNetFile);
        Assert.StartsWith(AppContext.BaseDirectory, PreprocessFile);
    }

    [Fact]
    public void The_graph_traced_mapping_covers_all_110_initializers_with_torchvision_names()
    {
        var graph = OnnxFile.ReadGraph(ResNetFile);
        var imported = OnnxResNetImport.Import(graph);
        Assert.Equal(110, graph.Initializer.Count);
        Assert.Equal(110, imported.NameOf.Count);
        Assert.Equal([2, 2, 2, 3], imported.Blocks);

        using var backbone = new ResNetModule(new ResNetBackbone([2, 2, 2, 3]), 3);
        var expected = backbone.state_dict().Where(kv => !kv.Key.EndsWith("num_batches_tracked")).ToDictionary();
        Assert.Equal(expected.Keys.Order(), imported.StateDict.Keys.Order());
        foreach (var (name, tensor) in expected) Assert.Equal(tensor.shape, imported.StateDict[name].shape);
        // CNTK emits a block's downsample before its conv1; tracing (not node order) keeps them apart.
        Assert.Equal([128L, 64, 1, 1], imported.StateDict["layer2.0.downsample.0.weight"].shape);
        Assert.Equal([128L, 64, 3, 3], imported.StateDict["layer2.0.conv1.weight"].shape);
    }

    [Fact]
    public void Backbone_features_equal_onnx_runtime_on_the_package_model_within_1e_4()
    {
        using var model = TransferLearning.FromPretrained("resnet18-imagenet", ["a", "b"]);
        Assert.Equal([3, 224, 224], model.Spec.InputShape);
        // A real Fashion-MNIST image as the pipeline adapts it (grayscale to RGB, 28 to 224), and colour noise (checks the BGR flip).
        using var gray = tensor(FashionMnist.Test.Image(0).ToArray(), [1L, 1, 28, 28]);
        using var fitted = model.FitToInput(gray);
        var noise = new byte[3 * 224 * 224];
        new Random(7).NextBytes(noise);
        byte[] pixels = [.. fitted.data<byte>().ToArray(), .. noise];
        var images = new ImageDataset("two", new ImageShape(3, 224, 224), ["a", "b"], pixels, [0, 1]);

        using var features = FeatureCache.Compute(model, images, batchSize: 1);
        Assert.Equal([2L, 512], features.Features.shape);
        using var oracle = new OnnxOracle(PreprocessFile, ResNetFile);
        for (int i = 0; i < 2; i++)
        {
            float[] expected = oracle.Features(images.Image(i));
            float[] actual = features.Features[i].data<float>().ToArray();
            double worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
            output.WriteLine($"image {i}: largest difference from ONNX Runtime {worst:E2}, largest feature {expected.Max():0.000}");
            Assert.True(worst < 1e-4, $"image {i}: largest difference {worst:E2} (features up to {expected.Max():0.00})");
        }
    }

    [Fact]
    public void A_missing_or_damaged_package_file_is_a_clear_error()
    {
        using var dir = new TempDirectory();
        var missing = Assert.Throws<ModelException>(() => PackageFiles.Locate(PackageFiles.ResNet18, [dir.Path]));
        Assert.Contains(PackageFiles.PackageId, missing.Message);
        Assert.Contains("ResNet18.onnx", missing.Message);

        string damaged = dir.File("ResNet18.onnx");
        File.WriteAllBytes(damaged, File.ReadAllBytes(PreprocessFile).AsSpan(0, 5000).ToArray());
        var error = Assert.Throws<ModelException>(() => MlNetResNet18.Load(damaged, PreprocessFile));
        Assert.Contains("damaged", error.Message);
        Assert.Throws<ModelException>(() => MlNetResNet18.Load(dir.File("none.onnx"), PreprocessFile));
        // A valid ONNX file that is not a ResNet: the trace says why.
        Assert.Contains("does not trace", Assert.Throws<ModelException>(() => MlNetResNet18.Load(PreprocessFile, PreprocessFile)).Message);
    }
}
