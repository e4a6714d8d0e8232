using ImageClassifier.Models;
using ImageClassifier.Models.Pretrained;
using ImageClassifier.Training;

namespace ImageClassifier.Recipes;

/// <summary>
/// Transfer learning in a <see cref="TrainingRecipe"/>: pretrained weights (a named backbone, or a weights
/// file for the recipe's architecture), a new head, and the two stages of <see cref="FineTuning"/>.
/// </summary>
public sealed record TransferRecipe
{
    /// <summary>A pretrained backbone by name (resnet18-imagenet); or null with <see cref="WeightsFile"/>.</summary>
    public string? Pretrained { get; init; }
    /// <summary>Torchvision-named weights for the recipe's <see cref="TrainingRecipe.Model"/>.</summary>
    public string? WeightsFile { get; init; }
    /// <summary>The model's input height and width; null: the pretrained backbone's (224). Folders are read at this size.</summary>
    public int? InputHeight { get; init; }
    public int? InputWidth { get; init; }
    public int HeadUnits { get; init; } = 256;
    public double HeadDropout { get; init; } = 0.2;
    /// <summary>The two stages: head only on the frozen base (for the recipe's epochs unless said), then optional fine-tuning.</summary>
    public FineTuningOptions Stages { get; init; } = new();

    public void Validate()
    {
        if ((Pretrained is null) == (WeightsFile is null))
            throw new ArgumentException("Transfer learning needs pretrained weights by name or a weights file, and not both.");
        if (InputHeight is < 1 || InputWidth is < 1) throw new ArgumentException("The input size must be positive.");
        if (HeadUnits < 1) throw new ArgumentException($"The head needs at least one unit, not {HeadUnits}.");
        if (HeadDropout is < 0 or >= 1) throw new ArgumentException($"The head's dropout must be in [0, 1), not {HeadDropout}.");
        Stages.Validate();
    }

    /// <summary>The input size: as given, else the pretrained backbone's.</summary>
    public (int Height, int Width) InputSize()
    {
        int size = Pretrained is string name ? PretrainedRegistry.Get(name).Config.InputSize : 224;
        return (InputHeight ?? size, InputWidth ?? InputHeight ?? size);
    }

    /// <summary>The classifier with pretrained weights, a new head and its base frozen.</summary>
    public Classifier CreateModel(string architecture, IReadOnlyList<string> classNames)
    {
        var head = new TransferHead(HeadUnits, HeadDropout);
        return Pretrained is string name
            ? TransferLearning.FromPretrained(name, classNames, InputSize(), head)
            : TransferLearning.FromWeightsFile(architecture, WeightsFile!, classNames, InputSize(), head);
    }
}
