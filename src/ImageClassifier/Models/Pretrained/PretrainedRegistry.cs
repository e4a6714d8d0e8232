using static TorchSharp.torch;

namespace ImageClassifier.Models.Pretrained;

/// <summary>The pretrained backbones that ship with the project (offline), by name.</summary>
public static class PretrainedRegistry
{
    public sealed record Entry(PretrainedConfig Config, Func<PretrainedWeights> Load);

    static readonly Dictionary<string, Entry> entries = new(StringComparer.OrdinalIgnoreCase)
    {
        ["resnet18-imagenet"] = new(new PretrainedConfig(
            "resnet18-imagenet", "resnet18-mlnet", 224, "bgr", 1f, null, null, MeanImage: true,
            $"NuGet {PackageFiles.PackageId} {PackageFiles.PackageVersion}: {PackageFiles.ResNet18}, {PackageFiles.Preprocess}",
            "ImageNet ResNet18 ([2,2,2,3] blocks) from ML.NET's DnnImageFeaturizer: RGB 0..255 at 224x224, flipped to BGR, minus a per-pixel mean image (channel means B 103.1, G 115.9, R 123.2), no std"),
            MlNetResNet18.Load),
    };

    public static IEnumerable<PretrainedConfig> Configs => entries.Values.Select(e => e.Config);

    public static Entry Get(string name) => entries.TryGetValue(name, out var entry) ? entry
        : throw new ModelException($"Unknown pretrained model '{name}'. Known: {string.Join(", ", entries.Keys)}.");
}

/// <summary>Backbone weights with torchvision names, and the mean image when the input convention has one.</summary>
public sealed class PretrainedWeights(Dictionary<string, Tensor> stateDict, Tensor? meanImage) : IDisposable
{
    public Dictionary<string, Tensor> StateDict { get; } = stateDict;
    public Tensor? MeanImage { get; } = meanImage;

    public void Dispose()
    {
        foreach (var tensor in StateDict.Values) tensor.Dispose();
        MeanImage?.Dispose();
    }
}

/// <summary>The ImageNet ResNet18 of Microsoft.ML.DnnImageFeaturizer.ResNet18, read from the package's ONNX files.</summary>
public static class MlNetResNet18
{
    public static PretrainedWeights Load() => Load(PackageFiles.Locate(PackageFiles.ResNet18), PackageFiles.Locate(PackageFiles.Preprocess));

    public static PretrainedWeights Load(string resnetOnnx, string preprocessOnnx)
    {
        var imported = OnnxResNetImport.Import(OnnxFile.ReadGraph(resnetOnnx));
        if (!imported.Blocks.SequenceEqual([2, 2, 2, 3]))
            throw new ModelException($"{resnetOnnx}: expected the [2,2,2,3] ResNet18 of {PackageFiles.PackageId}, but it traces as [{string.Join(",", imported.Blocks)}].");
        var (mean, order) = OnnxResNetImport.ImportPreprocessing(OnnxFile.ReadGraph(preprocessOnnx));
        if (order != "bgr" || !mean.shape.SequenceEqual([3L, 224, 224]))
            throw new ModelException($"{preprocessOnnx}: expected an RGB-to-BGR flip and a 3x224x224 mean image, found {order} and [{string.Join(", ", mean.shape)}].");
        return new PretrainedWeights(imported.StateDict, mean);
    }
}
