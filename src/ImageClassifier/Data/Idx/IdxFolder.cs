namespace ImageClassifier.Data;

/// <summary>
/// The four IDX files of an MNIST-style dataset in one folder, found by their conventional names:
/// <c>train-images-idx3-ubyte</c> with or without <c>.gz</c>, or <c>train-images.idx3-ubyte</c>
/// (how some unpackers name them).
/// </summary>
internal sealed record IdxFolder(string TrainImages, string TrainLabels, string? TestImages, string? TestLabels)
{
    public static readonly string[] Stems =
        ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];

    /// <summary>Finds the files; the test pair is optional unless <paramref name="requireTest"/>.</summary>
    public static IdxFolder? Find(string folder, bool requireTest, out IReadOnlyList<string> missing)
    {
        string?[] found = Stems.Select(stem => FindFile(folder, stem)).ToArray();
        var absent = new List<string>();
        for (int i = 0; i < Stems.Length; i++)
            if (found[i] is null && (i < 2 || requireTest)) absent.Add(Stems[i] + "[.gz]");
        // One test file without the other is a broken download, not a train-only dataset.
        if (!requireTest && (found[2] is null) != (found[3] is null))
            absent.Add((found[2] is null ? Stems[2] : Stems[3]) + "[.gz]");
        missing = absent;
        return absent.Count > 0 ? null : new IdxFolder(found[0]!, found[1]!, found[2], found[3]);
    }

    /// <summary>Whether the folder holds any IDX file at all (to tell "not IDX" from "incomplete IDX").</summary>
    public static bool HasAny(string folder) => Stems.Any(stem => FindFile(folder, stem) is not null);

    private static string? FindFile(string folder, string stem)
    {
        int dash = stem.LastIndexOf('-', stem.Length - "-ubyte".Length - 1);
        string dotted = stem[..dash] + "." + stem[(dash + 1)..];
        foreach (string name in new[] { stem + ".gz", stem, dotted + ".gz", dotted })
        {
            string candidate = Path.Combine(folder, name);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    public DatasetSplits Read(string name, IReadOnlyList<string> classNames) => new(
        IdxReader.Read(TrainImages, TrainLabels, name + "/train", classNames),
        TestImages is null ? null : IdxReader.Read(TestImages, TestLabels!, name + "/test", classNames));
}
