namespace ImageClassifier.Data;

/// <summary>Splitting a dataset into parts.</summary>
public static class Splits
{
    /// <summary>
    /// Splits off <paramref name="validationFraction"/> of each class (rounded), so both parts keep the class
    /// ratios; a class with two or more images gives at least one to validation and keeps at least one.
    /// The same seed gives the same split. Both parts keep the images' original order.
    /// </summary>
    public static (ImageDataset Train, ImageDataset Validation) StratifiedSplit(ImageDataset data, double validationFraction, int seed)
    {
        if (!(validationFraction > 0 && validationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction,
                "The validation fraction must be between 0 and 1 (exclusive), such as 0.1.");

        var byClass = new List<int>[data.ClassCount];
        for (int c = 0; c < byClass.Length; c++) byClass[c] = [];
        for (int i = 0; i < data.Count; i++) byClass[data.Labels[i]].Add(i);

        var random = new Random(seed);
        var validation = new List<int>();
        foreach (var indices in byClass)
        {
            int n = indices.Count;
            if (n < 2) continue;
            int take = Math.Clamp((int)Math.Round(n * validationFraction, MidpointRounding.AwayFromZero), 1, n - 1);
            int[] shuffled = [.. indices];
            random.Shuffle(shuffled);
            validation.AddRange(shuffled.Take(take));
        }

        var inValidation = new bool[data.Count];
        foreach (int i in validation) inValidation[i] = true;
        var train = Enumerable.Range(0, data.Count).Where(i => !inValidation[i]).ToArray();
        validation.Sort();
        return (data.Subset(train, data.Name + ":train"), data.Subset(validation, data.Name + ":validation"));
    }
}
