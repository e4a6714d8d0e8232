using ImageClassifier.Models.Layers;
using ImageClassifier.Models.ResNet9;
using ImageClassifier.Models.ResNet;
using ImageClassifier.Models.Vgg;

namespace ImageClassifier.Models;

/// <summary>
/// Named architectures, each a function of input shape and class count to a layer list. Backbones
/// also give their <see cref="Entry.Base"/>: the layers without the top, for transfer learning.
/// </summary>
public static class ModelRegistry
{
    public sealed record Entry(string Name, string Description, Func<int[], int, IReadOnlyList<LayerSpec>> Layers, IReadOnlyList<LayerSpec>? Base = null);

    static readonly Dictionary<string, Entry> entries = new(StringComparer.OrdinalIgnoreCase)
    {
        ["tutorial-cnn"] = new("tutorial-cnn",
            "The TensorFlow CNN tutorial: Conv32-Pool-Conv64-Pool-Conv64-Dense64-Dropout0.5 (93k params at 28x28x1)",
            (_, classes) =>
            [
                new Conv2D(32, 3, Activation: "relu"), new MaxPool2D(2),
                new Conv2D(64, 3, Activation: "relu"), new MaxPool2D(2),
                new Conv2D(64, 3, Activation: "relu"),
                new Flatten(), new Dense(64, "relu"), new Dropout(0.5), new Dense(classes),
            ]),
        ["mlp"] = new("mlp",
            "The Keras basic-classification model: Flatten-Dense128-Dense (101k params at 28x28x1)",
            (_, classes) => [new Flatten(), new Dense(128, "relu"), new Dense(classes)]),
        ["resnet18"] = ResNet("resnet18", "ResNet-18 (torchvision layer names), global average pool, Dense (11.2M params)", new ResNetBackbone([2, 2, 2, 2])),
        ["resnet34"] = ResNet("resnet34", "ResNet-34 (torchvision layer names), global average pool, Dense (21.3M params)", new ResNetBackbone([3, 4, 6, 3])),
        ["resnet18-mlnet"] = ResNet("resnet18-mlnet",
            "The [2,2,2,3] ResNet18 whose ImageNet weights ship in Microsoft.ML.DnnImageFeaturizer.ResNet18 (15.9M params)", new ResNetBackbone([2, 2, 2, 3])),
        ["resnet-small"] = ResNet("resnet-small",
            "ResNet-20 for 28 to 32 pixel images (He et al.): 3x3 stem, three stages of 3 blocks, 16/32/64 filters (272k params)",
            new ResNetBackbone([3, 3, 3], [16, 32, 64], SmallInput: true)),
        ["resnet-fast"] = Backbone("resnet-fast",
            "The fast preset's: a ResNet-9 of 16/32/64/128 filters pooled before each later stage, global max pool, Dense (413k params at 28x28x1, 8.8M multiply-adds)",
            new ResNet9Backbone([16, 32, 64, 128]), new GlobalMaxPool()),
        ["resnet-fast-wide"] = Backbone("resnet-fast-wide",
            "resnet-fast at 1.5 times the width, 24/48/96/192 filters (926k params at 28x28x1, 19.8M multiply-adds): the fast preset's from a budget of 8 minutes",
            new ResNet9Backbone([24, 48, 96, 192]), new GlobalMaxPool()),
        ["vgg16"] = new("vgg16",
            "VGG16's convolutional base (torchvision names) with the Keras tutorial's top: Flatten-Dense256-Dropout0.5-Dense; images of 32 pixels or more",
            (_, classes) => [new VggBackbone(VggBackbone.Vgg16), new Flatten(), new Dense(256, "relu"), new Dropout(0.5), new Dense(classes)],
            [new VggBackbone(VggBackbone.Vgg16)]),
    };

    static Entry ResNet(string name, string description, ResNetBackbone backbone) => Backbone(name, description, backbone, new GlobalAveragePool());

    // A backbone, global pooling and one Dense layer; the backbone alone is the base for transfer learning.
    static Entry Backbone(string name, string description, LayerSpec backbone, LayerSpec pooling) =>
        new(name, description, (_, classes) => [backbone, pooling, new Dense(classes)], [backbone]);

    public static IEnumerable<Entry> Entries => entries.Values;

    public static Entry Get(string name) => entries.TryGetValue(name, out var entry) ? entry
        : throw new ModelException($"Unknown model '{name}'. Known models: {string.Join(", ", entries.Keys)}.");

    public static ModelSpec Create(string name, int[] inputShape, int classCount)
    {
        var entry = Get(name);
        if (classCount < 2) throw new ModelException($"A classifier needs at least two classes, not {classCount}.");
        return new ModelSpec(entry.Name, inputShape, classCount, entry.Layers(inputShape, classCount));
    }
}
