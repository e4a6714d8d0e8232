using ImageClassifier.Models.Layers;
using static TorchSharp.torch;

namespace ImageClassifier.Models.Pretrained;

/// <summary>The new top put on a backbone: global average pooling, Dense(Units, relu), Dropout, Dense(classes).</summary>
public sealed record TransferHead(int Units = 256, double Dropout = 0.2);

/// <summary>
/// Builds transfer-learning classifiers: a backbone without its top, with pretrained weights (the
/// ImageNet ResNet18 by name, or a user's torchvision-named file), a new head, and the base frozen
/// (stage 1: only the head trains). Models take 3-channel images of the backbone's input size;
/// grayscale and smaller images are adapted when fed (Classifier.FitToInput). The model file
/// carries the layers, the preprocessing and the mean image, so it loads without the pretrained files.
/// </summary>
public static class TransferLearning
{
    /// <summary>A classifier on a named pretrained backbone; <paramref name="loadWeights"/> false keeps the random initialisation (a control).</summary>
    public static Classifier FromPretrained(string name, IReadOnlyList<string> classNames, (int Height, int Width)? size = null,
        TransferHead? head = null, bool loadWeights = true)
    {
        var entry = PretrainedRegistry.Get(name);
        var classifier = Build(entry.Config, entry.Config.Name, classNames, size, head);
        if (!loadWeights) return classifier;
        return WithWeights(classifier, () =>
        {
            using var weights = entry.Load();
            WeightLoader.Load(Backbone(classifier), weights.StateDict, entry.Config.Source);
            if (weights.MeanImage is not null) MeanImage(classifier).SetMean(weights.MeanImage);
        });
    }

    // Reading the weights (an ONNX protobuf or a weights file, and float copies) leaves ~250 MB of managed garbage for ResNet18, which the
    // GC would keep mapped for the whole run; a compacting collection hands it back once load has returned. Inside load the reader's
    // objects are still in reach, and a collection there kept 117 MB of them (measured: 286 -> 169 MB anonymous resident).
    static Classifier WithWeights(Classifier classifier, Action load)
    {
        try { load(); }
        catch
        {
            classifier.Dispose();
            throw;
        }
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        return classifier;
    }

    /// <summary>A classifier on <paramref name="architecture"/> with the user's weights file (safetensors, torch.save or TorchSharp format, torchvision names).</summary>
    public static Classifier FromWeightsFile(string architecture, string file, IReadOnlyList<string> classNames,
        (int Height, int Width)? size = null, TransferHead? head = null)
    {
        var config = PretrainedConfig.Torchvision(architecture, file);
        var classifier = Build(config, architecture + "-transfer", classNames, size, head);
        return WithWeights(classifier, () =>
        {
            var weights = StateDictFile.Read(file);
            try { WeightLoader.Load(Backbone(classifier), weights, file, "fc.", "classifier."); }
            finally { foreach (var tensor in weights.Values) tensor.Dispose(); }
        });
    }

    /// <summary>The backbone layer's module (torchvision names: conv1, layer1, ... or features.N).</summary>
    public static nn.Module Backbone(Classifier classifier) =>
        classifier.Network.Layers.FirstOrDefault(l => l.Module is IStagedModule)?.Module
        ?? throw new ModelException($"Model '{classifier.Spec.Architecture}' has no backbone layer.");

    static MeanImageModule MeanImage(Classifier classifier) =>
        classifier.Network.Layers.Select(l => l.Module).OfType<MeanImageModule>().First();

    static Classifier Build(PretrainedConfig config, string name, IReadOnlyList<string> classNames, (int Height, int Width)? size, TransferHead? head)
    {
        head ??= new TransferHead();
        var entry = ModelRegistry.Get(config.Architecture);
        if (entry.Base is null)
            throw new ModelException($"'{config.Architecture}' is not a backbone. Backbones: {string.Join(", ", ModelRegistry.Entries.Where(e => e.Base is not null).Select(e => e.Name))}.");
        if (classNames.Count < 2) throw new ModelException($"A classifier needs at least two classes, not {classNames.Count}.");
        var (height, width) = size ?? (config.InputSize, config.InputSize);
        var layers = new List<LayerSpec>();
        if (config.MeanImage) layers.Add(new MeanImageSubtraction());
        layers.AddRange(entry.Base);
        layers.AddRange([new GlobalAveragePool(), new Dense(head.Units, "relu"), new Dropout(head.Dropout), new Dense(classNames.Count)]);
        var classifier = new Classifier(new ModelSpec(name, [3, height, width], classNames.Count, layers), classNames, config.Preprocessing);
        classifier.Network.SetTrainableFrom(classifier.Network.Layers.First(l => l.Spec is Dense).Name);
        return classifier;
    }
}
