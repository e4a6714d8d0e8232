using ImageClassifier.Imaging.Augmentation;
using TorchSharp;
using static TorchSharp.torch;

namespace ImageClassifier.Models.Layers;

/// <summary>
/// Augmentation as a model layer, like Keras' preprocessing layers (RandomFlip, RandomRotation, ...): active
/// only while the network trains (TorchSharp's Module.training), the identity in evaluation and prediction.
/// <see cref="Spec"/> is an <see cref="AugmentationSpec"/> string; the layer draws from its own generator
/// seeded with <see cref="Seed"/>. Only geometric steps and erasing fit here: the layer sees preprocessed
/// (possibly standardised) values, where contrast and brightness would clip at the wrong range, and it has no
/// labels for MixUp or CutMix to mix (give those to the trainer instead).
/// </summary>
public sealed record Augment(string Spec, int Seed = 0) : LayerSpec
{
    public override string Kind => "Augmentation";

    public override (nn.Module<Tensor, Tensor>, int[]) Build(int[] input)
    {
        RequireImage(input, "Augmentation");
        AugmentationPipeline pipeline;
        try { pipeline = AugmentationSpec.Parse(Spec); }
        catch (ArgumentException e) { throw new ModelException($"Augmentation layer: {e.Message}"); }
        if (Flatten(pipeline).FirstOrDefault(s => s is MixUp or CutMix or RandomContrast or RandomBrightness) is { } misfit)
            throw new ModelException($"Augmentation layer '{Spec}': {misfit} cannot be a model layer (it needs labels or pixels in [0, 1]); " +
                "give it to training instead (TrainingOptions.Augmentation).");
        return (new AugmentationModule(pipeline, Seed), input);
    }

    static IEnumerable<IBatchAugmentation> Flatten(AugmentationPipeline pipeline) =>
        pipeline.Steps.SelectMany(s => s is AugmentationPipeline inner ? Flatten(inner) : [s]);
}

/// <summary>The module behind <see cref="Augment"/>: augments in training mode, passes through otherwise.</summary>
internal sealed class AugmentationModule : nn.Module<Tensor, Tensor>
{
    readonly IBatchAugmentation augmentation;
    readonly Generator generator;

    public AugmentationModule(IBatchAugmentation augmentation, int seed) : base("Augmentation")
    {
        this.augmentation = augmentation;
        generator = new Generator((ulong)seed);
        RegisterComponents();
    }

    /// <summary>The layer's own generator (a training checkpoint saves and restores its state).</summary>
    internal Generator Generator => generator;

    public override Tensor forward(Tensor input)
    {
        if (!training) return input.alias();
        using var noLabels = zeros(input.shape[0], ScalarType.Int64, device: input.device);
        var (images, targets) = augmentation.Apply(input, noLabels, new AugmentationContext(1, generator));
        if (!ReferenceEquals(targets, noLabels)) targets.Dispose();
        return images;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) generator.Dispose();
        base.Dispose(disposing);
    }
}
