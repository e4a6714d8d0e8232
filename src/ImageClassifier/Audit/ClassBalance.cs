namespace ImageClassifier.Audit;

/// <summary>A class's usable images (those that decode) in each split.</summary>
public sealed record ClassCount(string Name, int Train, int Test);

/// <summary>
/// Class counts and what they mean for training: the imbalance ratio (largest over smallest class in training,
/// among classes with images), classes with too few images for a stratified split (fewer than 2) or for stratified
/// k-fold (fewer than k), classes with no images, and classes present in one split only.
/// </summary>
public sealed record ClassBalance(IReadOnlyList<ClassCount> Classes, double ImbalanceRatio, int Folds,
    IReadOnlyList<string> TooFewForSplit, IReadOnlyList<string> TooFewForFolds, IReadOnlyList<string> Empty,
    IReadOnlyList<string> MissingFromTest, IReadOnlyList<string> MissingFromTrain)
{
    /// <summary>An imbalance ratio from which the report suggests class weights or oversampling.</summary>
    public const double NotableImbalance = 3;

    public bool HasFindings => ImbalanceRatio >= NotableImbalance || TooFewForSplit.Count + TooFewForFolds.Count + Empty.Count + MissingFromTrain.Count > 0;

    public static ClassBalance Of(ImageScan scan, int folds)
    {
        bool hasTest = scan.Files.Any(f => f.Split == FolderListing.Test);
        var classes = scan.ClassNames.Select((name, c) => new ClassCount(name,
            scan.Files.Count(f => f.Decoded && f.Label == c && f.Split == FolderListing.Train),
            scan.Files.Count(f => f.Decoded && f.Label == c && f.Split == FolderListing.Test))).ToList();
        var present = classes.Where(c => c.Train > 0).Select(c => c.Train).ToList();
        double ratio = present.Count == 0 ? double.NaN : (double)present.Max() / present.Min();
        return new ClassBalance(classes, ratio, folds,
            classes.Where(c => c.Train is > 0 and < 2).Select(c => c.Name).ToList(),
            classes.Where(c => c.Train > 0 && c.Train < folds).Select(c => c.Name).ToList(),
            classes.Where(c => c.Train + c.Test == 0).Select(c => c.Name).ToList(),
            hasTest ? classes.Where(c => c.Train > 0 && c.Test == 0).Select(c => c.Name).ToList() : [],
            classes.Where(c => c.Train == 0 && c.Test > 0).Select(c => c.Name).ToList());
    }
}
