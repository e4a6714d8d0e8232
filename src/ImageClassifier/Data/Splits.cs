namespace ImageClassifier.Data;

/// <summary>Splitting a dataset into parts: stratified hold-out splits and (stratified) k-fold cross-validation.</summary>
public static class Splits
{
    /// <summary>
    /// Splits off <paramref name="validationFraction"/> of each class (rounded), so both parts keep the class
    /// ratios; a class with two or more images gives at least one to validation and keeps at least one.
    /// The same seed gives the same split. Both parts keep the images' original order.
    /// </summary>
    public static (ImageDataset Train, ImageDataset Validation) StratifiedSplit(ImageDataset data, double validationFraction, int seed)
    {
        var (train, validation) = StratifiedIndices(data.Labels, data.ClassCount, validationFraction, seed);
        return (data.Subset(train, data.Name + ":train"), data.Subset(validation, data.Name + ":validation"));
    }

    /// <summary>
    /// Three parts, each keeping the class ratios: per class, round(n * fraction) images go to test and to
    /// validation; a class of three or more images puts at least one in each part. Same seed, same split;
    /// every part keeps the original order.
    /// </summary>
    public static (ImageDataset Train, ImageDataset Validation, ImageDataset Test) StratifiedSplit(
        ImageDataset data, double validationFraction, double testFraction, int seed)
    {
        var (train, validation, test) = StratifiedIndices(data.Labels, data.ClassCount, validationFraction, testFraction, seed);
        return (data.Subset(train, data.Name + ":train"), data.Subset(validation, data.Name + ":validation"), data.Subset(test, data.Name + ":test"));
    }

    /// <summary>The two-way split as item indices (for sources that are not in memory), each part sorted.</summary>
    public static (int[] Train, int[] Validation) StratifiedIndices(IReadOnlyList<int> labels, int classCount, double validationFraction, int seed)
    {
        CheckFraction(validationFraction, "validation");
        var random = new Random(seed);
        var validation = new List<int>();
        foreach (var indices in ByClass(labels, classCount))
        {
            int n = indices.Count;
            if (n < 2) continue;
            int take = Math.Clamp(Round(n * validationFraction), 1, n - 1);
            int[] shuffled = [.. indices];
            random.Shuffle(shuffled);
            validation.AddRange(shuffled.Take(take));
        }
        return Partition(labels.Count, validation);
    }

    /// <summary>The three-way split as item indices, each part sorted.</summary>
    public static (int[] Train, int[] Validation, int[] Test) StratifiedIndices(IReadOnlyList<int> labels, int classCount,
        double validationFraction, double testFraction, int seed)
    {
        CheckFraction(validationFraction, "validation");
        CheckFraction(testFraction, "test");
        if (validationFraction + testFraction >= 1)
            throw new ArgumentException($"The validation and test fractions ({validationFraction} + {testFraction}) must leave some images for training.");
        var random = new Random(seed);
        var validation = new List<int>();
        var test = new List<int>();
        foreach (var indices in ByClass(labels, classCount))
        {
            int n = indices.Count;
            if (n < 3) continue; // too few to give every part one: all train
            int toTest = Math.Clamp(Round(n * testFraction), 1, n - 2);
            int toValidation = Math.Clamp(Round(n * validationFraction), 1, n - 1 - toTest);
            int[] shuffled = [.. indices];
            random.Shuffle(shuffled);
            test.AddRange(shuffled.Take(toTest));
            validation.AddRange(shuffled.Skip(toTest).Take(toValidation));
        }
        var (rest, testPart) = Partition(labels.Count, test);
        var inValidation = new bool[labels.Count];
        foreach (int i in validation) inValidation[i] = true;
        return (rest.Where(i => !inValidation[i]).ToArray(), [.. validation.Order()], testPart);
    }

    /// <summary>
    /// scikit-learn's KFold: the items (shuffled by <paramref name="seed"/> unless <paramref name="shuffle"/> is
    /// false) cut into <paramref name="folds"/> consecutive parts whose sizes differ by at most one; fold k
    /// validates on part k and trains on the rest. Parts are disjoint and cover every item.
    /// </summary>
    public static IReadOnlyList<Fold> KFold(int count, int folds, int seed, bool shuffle = true)
    {
        if (folds < 2) throw new ArgumentOutOfRangeException(nameof(folds), folds, "Cross-validation needs at least 2 folds.");
        if (folds > count) throw new ArgumentException($"{folds} folds need at least {folds} images, but there are {count}.");
        var order = Enumerable.Range(0, count).ToArray();
        if (shuffle) new Random(seed).Shuffle(order);
        var assignment = new int[count];
        int start = 0;
        for (int k = 0; k < folds; k++)
        {
            int size = count / folds + (k < count % folds ? 1 : 0);
            for (int i = start; i < start + size; i++) assignment[order[i]] = k;
            start += size;
        }
        return FoldsFrom(assignment, folds);
    }

    /// <summary>
    /// Stratified k-fold: every class is shuffled (by <paramref name="seed"/>) and dealt round the folds in turn,
    /// continuing where the previous class stopped, so each fold holds each class's share to within one image and
    /// fold sizes differ by at most one. Needs every class present to have at least <paramref name="folds"/> images.
    /// </summary>
    public static IReadOnlyList<Fold> StratifiedKFold(IReadOnlyList<int> labels, int classCount, int folds, int seed, IReadOnlyList<string>? classNames = null)
    {
        if (folds < 2) throw new ArgumentOutOfRangeException(nameof(folds), folds, "Cross-validation needs at least 2 folds.");
        var byClass = ByClass(labels, classCount);
        var present = Enumerable.Range(0, classCount).Where(c => byClass[c].Count > 0).ToList();
        if (present.Count == 0) throw new ArgumentException("There are no images to cross-validate.");
        int smallest = present.MinBy(c => byClass[c].Count);
        if (byClass[smallest].Count < folds)
            throw new ArgumentException(
                $"{folds} stratified folds need at least {folds} images of every class, but class " +
                $"'{classNames?[smallest] ?? smallest.ToString()}' has only {byClass[smallest].Count}; use at most {byClass[smallest].Count} folds.");
        var random = new Random(seed);
        var assignment = new int[labels.Count];
        int next = 0;
        foreach (int c in present)
        {
            int[] shuffled = [.. byClass[c]];
            random.Shuffle(shuffled);
            foreach (int i in shuffled)
            {
                assignment[i] = next;
                next = (next + 1) % folds;
            }
        }
        return FoldsFrom(assignment, folds);
    }

    static IReadOnlyList<Fold> FoldsFrom(int[] assignment, int folds) =>
        Enumerable.Range(0, folds).Select(k => new Fold(k + 1,
            Enumerable.Range(0, assignment.Length).Where(i => assignment[i] != k).ToArray(),
            Enumerable.Range(0, assignment.Length).Where(i => assignment[i] == k).ToArray())).ToArray();

    static List<int>[] ByClass(IReadOnlyList<int> labels, int classCount)
    {
        var byClass = new List<int>[classCount];
        for (int c = 0; c < classCount; c++) byClass[c] = [];
        for (int i = 0; i < labels.Count; i++) byClass[labels[i]].Add(i);
        return byClass;
    }

    // The items not chosen (sorted) and the chosen ones (sorted).
    static (int[] Others, int[] Chosen) Partition(int count, List<int> chosen)
    {
        var inChosen = new bool[count];
        foreach (int i in chosen) inChosen[i] = true;
        var rest = Enumerable.Range(0, count).Where(i => !inChosen[i]).ToArray();
        return (rest, [.. chosen.Order()]);
    }

    static int Round(double value) => (int)Math.Round(value, MidpointRounding.AwayFromZero);

    static void CheckFraction(double fraction, string part)
    {
        if (!(fraction > 0 && fraction < 1))
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction,
                $"The {part} fraction must be between 0 and 1 (exclusive), such as 0.1.");
    }
}

/// <summary>One cross-validation fold (numbered from 1): the items it trains on and the ones it validates on.</summary>
public sealed record Fold(int Number, int[] Train, int[] Validation);
