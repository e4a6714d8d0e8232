using ImageClassifier.Imaging;

namespace ImageClassifier.Audit;

/// <summary>
/// How <see cref="DatasetAudit"/> checks a dataset. The defaults are what <c>imgclass audit</c> uses: every check on,
/// near duplicates at pHash distance 6 or less confirmed by the thumbnails' correlation (0.98 or more), and label issues from
/// 5-fold out-of-fold probabilities of a small CNN trained for a few epochs at the images' own size (up to 32 px).
/// </summary>
public sealed record AuditSettings
{
    /// <summary>
    /// Largest Hamming distance between two 64-bit pHashes for a near-duplicate candidate. imagededup's default is 10;
    /// 6 here: on Fashion-MNIST, re-encoded, resized and brightened copies were within 2 bits, while distinct look-alikes
    /// fill the range above (of 12,060 images, 29 / 64 / 129 unplanted pairs at 4 / 6 / 8 bits; docs/BENCHMARKS.md).
    /// </summary>
    public int HashDistance { get; init; } = 6;

    /// <summary>
    /// A candidate pair is a near duplicate only when the Pearson correlation of its 32 x 32 gray thumbnails reaches
    /// this: a hash distance alone also matches different objects of one simple shape (two plain T-shirts).
    /// Correlation ignores brightness and contrast changes, so a brightened or re-encoded copy still matches: the
    /// planted copies of Fashion-MNIST images correlated at 0.99 or more, distinct look-alikes up to 0.99 but rarely
    /// above 0.98 (at 0.95, 190 false pairs among 2,400 images; at 0.98, 6).
    /// </summary>
    public double MinCorrelation { get; init; } = 0.98;

    /// <summary>Cosine similarity of ImageNet ResNet18 features from which a pair is also a near duplicate (with <see cref="Features"/>).</summary>
    public double MinFeatureSimilarity { get; init; } = 0.97;

    /// <summary>Also compare ImageNet ResNet18 features (cosine similarity), which find copies cropped or recoloured beyond what hashes see. Slower.</summary>
    public bool Features { get; init; }

    /// <summary>Look for label issues (trains <see cref="Folds"/> small models unless <see cref="ModelFile"/> is given).</summary>
    public bool Labels { get; init; } = true;

    /// <summary>Folds of the cross-validation whose held-out probabilities rank the labels.</summary>
    public int Folds { get; init; } = 5;

    /// <summary>Epochs each fold's model trains.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>
    /// Each fold's model takes at least this many optimiser steps (more epochs on small folders): a few epochs of a
    /// hundred images are a dozen steps, too few to learn anything that could doubt a label.
    /// </summary>
    public int MinSteps { get; init; } = 300;

    /// <summary>The architecture each fold trains (a registry name).</summary>
    public string Model { get; init; } = "tutorial-cnn";

    /// <summary>A trained model file whose probabilities rank the labels instead of cross-validation.</summary>
    public string? ModelFile { get; init; }

    /// <summary>The size the models see; null: the images' most common size, shrunk so its longer side is at most 32 pixels.</summary>
    public ImageShape? Shape { get; init; }

    /// <summary>Images whose classes have fewer than this are reported (stratified k-fold needs one per fold).</summary>
    public int MinClassImages => Math.Max(Folds, 2);

    public int Seed { get; init; } = 42;

    /// <summary>Files decoded at once; 0: one per processor.</summary>
    public int Workers { get; init; }

    /// <summary>How many label issues, duplicate groups and file findings the HTML page shows with pictures.</summary>
    public int Shown { get; init; } = 60;

    public void Validate()
    {
        if (HashDistance is < 0 or > 32) throw new ArgumentException($"The hash distance must be 0 to 32 bits, not {HashDistance}.");
        if (MinCorrelation is < -1 or > 1 || double.IsNaN(MinCorrelation)) throw new ArgumentException($"The minimum correlation must be between -1 and 1, not {MinCorrelation}.");
        if (MinFeatureSimilarity is < -1 or > 1 || double.IsNaN(MinFeatureSimilarity)) throw new ArgumentException($"The minimum feature similarity must be between -1 and 1, not {MinFeatureSimilarity}.");
        if (Folds < 2) throw new ArgumentException($"The label check needs at least 2 folds, not {Folds}.");
        if (MinSteps < 0) throw new ArgumentException($"The minimum number of steps must not be negative ({MinSteps}).");
        if (Epochs < 1) throw new ArgumentException($"Each fold trains at least 1 epoch, not {Epochs}.");
        if (Workers < 0) throw new ArgumentException($"Workers must be 0 (one per processor) or more, not {Workers}.");
        if (Shown < 0) throw new ArgumentException($"The number of findings shown must not be negative ({Shown}).");
    }
}
