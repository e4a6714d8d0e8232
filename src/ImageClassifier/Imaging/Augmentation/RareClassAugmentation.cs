using static TorchSharp.torch;

namespace ImageClassifier.Imaging.Augmentation;

/// <summary>
/// Extra augmentation for the samples of rare classes only: the rows whose class is in <see cref="RareClasses"/>
/// go through <see cref="Inner"/>, the rest pass unchanged. Rare samples are seen more often with oversampling,
/// so varying them more keeps the model from memorising the few there are.
/// </summary>
public sealed class RareClassAugmentation : IBatchAugmentation
{
    public RareClassAugmentation(IBatchAugmentation inner, IReadOnlyCollection<int> rareClasses)
    {
        if (inner is MixUp or CutMix or AugmentationPipeline { MixesLabels: true })
            throw new ArgumentException("Rare-class augmentation changes images only; MixUp and CutMix cannot be part of it.");
        Inner = inner;
        RareClasses = rareClasses;
    }

    public IBatchAugmentation Inner { get; }
    public IReadOnlyCollection<int> RareClasses { get; }

    /// <summary>Classes with fewer than <paramref name="fraction"/> times the largest class's count (and at least one image).</summary>
    public static int[] FindRareClasses(IReadOnlyList<int> labels, int classCount, double fraction = 0.5)
    {
        if (fraction is <= 0 or > 1) throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "The rare-class fraction must be in (0, 1].");
        var counts = new int[classCount];
        foreach (int label in labels) counts[label]++;
        int largest = counts.Max();
        return Enumerable.Range(0, classCount).Where(c => counts[c] > 0 && counts[c] < fraction * largest).ToArray();
    }

    public (Tensor Images, Tensor Targets) Apply(Tensor images, Tensor targets, AugmentationContext context)
    {
        if (RareClasses.Count == 0) return (images.alias(), targets.alias());
        using var scope = NewDisposeScope();
        var classes = targets.dtype == ScalarType.Int64 ? targets : targets.argmax(1);
        var rare = tensor(RareClasses.Select(c => (long)c).ToArray(), device: classes.device);
        var rows = isin(classes, rare).nonzero().view(-1);
        if (rows.shape[0] == 0) return (images.alias().MoveToOuterDisposeScope(), targets.alias().MoveToOuterDisposeScope());
        var picked = images.index_select(0, rows);
        var pickedTargets = targets.index_select(0, rows);
        var (augmented, _) = Inner.Apply(picked, pickedTargets, context);
        return (images.index_copy(0, rows, augmented).MoveToOuterDisposeScope(), targets.alias().MoveToOuterDisposeScope());
    }

    public override string ToString() => $"[{Inner}] for classes {string.Join(", ", RareClasses)}";
}
