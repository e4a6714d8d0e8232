using ImageClassifier.Audit;
using ImageClassifier.Imaging;
using ImageClassifier.Tests.TestSupport;

namespace ImageClassifier.Tests.Audit;

/// <summary>Exact and near duplicates, within a split and across training and test, with and without the same label.</summary>
public class DuplicateTests
{
    static readonly AuditSettings NoLabels = new() { Labels = false };

    [Fact]
    public void Copies_are_grouped_by_kind_with_leakage_and_conflicting_labels_marked()
    {
        using var temp = new TempDirectory();
        string root = temp.File("data");
        var train = AuditFolders.Write(Path.Combine(root, "train"), AuditFolders.ThreeClasses, perClass: 10);
        var test = AuditFolders.Write(Path.Combine(root, "test"), AuditFolders.ThreeClasses, perClass: 4, first: 200);
        var shape = AuditFolders.Gray28;
        string Put(string split, string cls, string name, byte[] bytes) { string p = Path.GetFullPath(Path.Combine(root, split, cls, name)); File.WriteAllBytes(p, bytes); return p; }
        byte[] Pixels(string path) => ImageDecoder.DecodeFile(path, shape);

        // Exact: a test image copied into train (leakage); a training image saved again as RGB PNG; the same image under two classes.
        string leak = Put("train", "bag", "leak.png", File.ReadAllBytes(test["bag"][0]));
        var gray = Pixels(train["sneaker"][0]);
        string rgb = Put("train", "sneaker", "rgb.png", ImageEncoder.EncodePng([.. gray, .. gray, .. gray], new ImageShape(3, 28, 28)));
        string mislabelled = Put("train", "trouser", "mislabelled.png", File.ReadAllBytes(train["bag"][3]));
        // Near: JPEG, brightened, resized.
        string jpeg = Put("train", "sneaker", "copy.jpg", ImageEncoder.EncodeJpeg(Pixels(train["sneaker"][1]), shape, 75));
        string bright = Put("train", "bag", "bright.png", ImageEncoder.EncodePng(Pixels(train["bag"][1]).Select(p => (byte)Math.Min(255, p * 1.12 + 8)).ToArray(), shape));
        var big = new DecodedImage(28, 28, 1, Pixels(test["trouser"][1])).ResizeTo(new ImageShape(1, 31, 31));
        string resized = Put("train", "trouser", "resized.png", ImageEncoder.EncodePng(big.Pixels, big.Shape));

        var report = DatasetAudit.Run(root, null, NoLabels);
        var d = report.Duplicates;

        DuplicateGroup ExactWith(string path) => Assert.Single(d.Exact, g => g.Members.Any(m => m.Path == path));
        DuplicateGroup NearWith(string path) => Assert.Single(d.Near, g => g.Members.Any(m => m.Path == path));
        Assert.Equal(3, d.Exact.Count);
        var leakGroup = ExactWith(leak);
        Assert.Equal(new[] { leak, test["bag"][0] }.Order(), leakGroup.Members.Select(m => m.Path).Order());
        Assert.True(leakGroup.Leakage);
        Assert.False(leakGroup.ConflictingLabels);
        Assert.Contains(train["sneaker"][0], ExactWith(rgb).Members.Select(m => m.Path));
        Assert.True(ExactWith(mislabelled).ConflictingLabels);

        Assert.Equal(3, d.Near.Count);
        Assert.Contains(train["sneaker"][1], NearWith(jpeg).Members.Select(m => m.Path));
        Assert.Contains(train["bag"][1], NearWith(bright).Members.Select(m => m.Path));
        var resizedGroup = NearWith(resized);
        Assert.Contains(test["trouser"][1], resizedGroup.Members.Select(m => m.Path));
        Assert.True(resizedGroup.Leakage);
        Assert.True(resizedGroup.ConflictingLabels is false);
        Assert.Equal(3, d.NearPairs.Count);
        Assert.All(d.NearPairs, p => Assert.True(p.HashDistance <= 6 && p.Correlation >= 0.98));

        // The fix list drops the leaked training copy and the RGB re-save, asks for a review of the rest.
        var fixes = report.Fixes.ToLookup(f => f.Path);
        Assert.Equal(FixList.Exclude, fixes[leak].Single().Action);
        Assert.Equal(FixList.Exclude, fixes[rgb].Single().Action);
        Assert.Empty(fixes[test["bag"][0]]);
        Assert.All(fixes[mislabelled].Concat(fixes[train["bag"][3]]), f => Assert.Equal(FixList.Review, f.Action));
        var nearFix = Assert.Single(fixes[resized], x => x.Reason.Contains("near duplicate"));
        Assert.Equal(FixList.Review, nearFix.Action);
        Assert.Contains("leakage", nearFix.Reason);
        Assert.Contains(fixes[resized], x => x.Reason.StartsWith("unusual_size: 31 x 31 where"));
    }

    [Fact]
    public void A_separate_test_folder_is_checked_for_leakage()
    {
        using var temp = new TempDirectory();
        var train = AuditFolders.Write(temp.File("train"), AuditFolders.ThreeClasses, perClass: 5);
        var test = AuditFolders.Write(temp.File("held-out"), AuditFolders.ThreeClasses, perClass: 3, first: 100);
        File.Copy(train["bag"][2], Path.Combine(temp.File("held-out"), "bag", "copied.png"));

        var report = DatasetAudit.Run(temp.File("train"), temp.File("held-out"), NoLabels);

        var group = Assert.Single(report.Duplicates.Exact);
        Assert.True(group.Leakage);
        Assert.Equal(["test", "train"], group.Members.Select(m => m.Split).Order());
        Assert.Empty(report.Duplicates.Near);
        // The test copy is kept, the training one excluded.
        Assert.Equal(train["bag"][2], Assert.Single(report.Fixes, f => f.Action == FixList.Exclude).Path);
    }

    [Fact]
    public void Features_find_a_shifted_copy_that_the_hashes_miss()
    {
        using var temp = new TempDirectory();
        var train = AuditFolders.Write(temp.File("train"), AuditFolders.ThreeClasses, perClass: 6);
        var shape = AuditFolders.Gray28;
        // The same sneaker moved one pixel right (the uncovered column black, as Fashion-MNIST's background): the
        // perceptual hash is 10 bits away and the thumbnails correlate at 0.965, so the hashes miss it.
        var original = ImageDecoder.DecodeFile(train["sneaker"][2], shape);
        var shifted = new byte[original.Length];
        for (int y = 0; y < 28; y++)
            for (int x = 1; x < 28; x++) shifted[y * 28 + x] = original[y * 28 + x - 1];
        string copy = Path.Combine(temp.File("train"), "sneaker", "shifted.png");
        File.WriteAllBytes(copy, ImageEncoder.EncodePng(shifted, shape));

        // ResNet18 features of the pair: cosine similarity 0.964 (measured); of distinct images here, at most 0.89.
        // 0.95 separates them; the default, 0.97, is stricter than these small grey images allow.
        var byHash = DatasetAudit.Run(temp.File("train"), null, NoLabels);
        var byFeatures = DatasetAudit.Run(temp.File("train"), null, NoLabels with { Features = true, MinFeatureSimilarity = 0.95 });

        Assert.Empty(byHash.Duplicates.Near);
        var pair = Assert.Single(byFeatures.Duplicates.NearPairs);
        Assert.Equal(new[] { copy, train["sneaker"][2] }.Order(), new[] { pair.A.Path, pair.B.Path }.Order());
        Assert.True(pair.FeatureSimilarity >= 0.95, $"similarity {pair.FeatureSimilarity}");
        Assert.True(pair.HashDistance > 6 || pair.Correlation < 0.98, "the hashes alone would have found this pair");
    }
}
