using ImageClassifier.Models.Layers;

namespace ImageClassifier.Models;

/// <summary>Named architectures, each a function of input shape and class count to a layer list.</summary>
public static class ModelRegistry
{
    public sealed record Entry(string Name, string Description, Func<int[], int, IReadOnlyList<LayerSpec>> Layers);

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
    };

    public static IEnumerable<Entry> Entries => entries.Values;

    public static ModelSpec Create(string name, int[] inputShape, int classCount)
    {
        if (!entries.TryGetValue(name, out var entry))
            throw new ModelException($"Unknown model '{name}'. Known models: {string.Join(", ", entries.Keys)}.");
        if (classCount < 2) throw new ModelException($"A classifier needs at least two classes, not {classCount}.");
        return new ModelSpec(entry.Name, inputShape, classCount, entry.Layers(inputShape, classCount));
    }
}
