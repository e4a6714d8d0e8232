using ImageClassifier.Audit;
using ImageClassifier.Imaging;
using ImageClassifier.Tests.TestSupport;

namespace ImageClassifier.Tests.Audit;

/// <summary>Each kind of file finding on a small folder where one file of each kind was made by hand.</summary>
public class FileChecksTests
{
    static readonly AuditSettings NoLabels = new() { Labels = false };

    [Fact]
    public void Every_broken_or_odd_file_is_named_with_its_problem_and_good_files_are_not()
    {
        using var temp = new TempDirectory();
        string root = temp.File("data");
        var good = AuditFolders.Write(root, AuditFolders.ThreeClasses, perClass: 12);
        string Put(string cls, string name, byte[] bytes) { string p = Path.Combine(root, cls, name); File.WriteAllBytes(p, bytes); return Path.GetFullPath(p); }
        var png = ImageEncoder.EncodePng(AuditFolders.Image(1, 50), AuditFolders.Gray28);
        var expected = new Dictionary<string, string>
        {
            [Put("bag", "empty.png", [])] = FileProblems.Empty,
            [Put("bag", "notes.txt", "not a picture"u8.ToArray())] = FileProblems.NotAnImage,
            [Put("bag", "cut.png", png[..(png.Length / 2)])] = FileProblems.Truncated,
            [Put("bag", "garbage.png", [.. png[..8], .. Enumerable.Repeat((byte)0x5A, 200)])] = FileProblems.Corrupt,
            [Put("trouser", "misnamed.jpg", png)] = FileProblems.WrongExtension,
            [Put("trouser", "blank.png", ImageEncoder.EncodePng(new byte[28 * 28], AuditFolders.Gray28))] = FileProblems.Blank,
            [Put("sneaker", "large.png", ImageEncoder.EncodePng(new DecodedImage(28, 28, 1, AuditFolders.Image(7, 60)).ResizeTo(new ImageShape(1, 200, 200)).Pixels, new ImageShape(1, 200, 200)))] = FileProblems.UnusualSize,
            [Put("sneaker", "colour.png", ImageEncoder.EncodePng(Colour(AuditFolders.Image(7, 61)), new ImageShape(3, 28, 28)))] = FileProblems.UnusualColour,
        };

        var report = DatasetAudit.Run(root, null, NoLabels);

        var found = report.FileFindings.ToLookup(f => f.Path);
        foreach (var (path, kind) in expected)
        {
            Assert.Contains(found[path], f => f.Kind == kind);
            Assert.All(found[path], f => Assert.False(string.IsNullOrWhiteSpace(f.Detail)));
        }
        Assert.DoesNotContain(good.Values.SelectMany(p => p), p => found[p].Any());
        Assert.Equal(4, report.BrokenFiles); // empty, not an image, truncated, corrupt
        Assert.Contains("named .jpg but the content is PNG (rename to .png)", found[expected.Keys.First(k => k.EndsWith("misnamed.jpg"))].Single().Detail);
        Assert.Contains("200 x 200 where", found[expected.Keys.First(k => k.EndsWith("large.png"))].Single(f => f.Kind == FileProblems.UnusualSize).Detail);
        Assert.All(report.FileFindings.Where(f => FileProblems.IsBroken(f.Kind)), f => Assert.Contains(f.Path, report.Fixes.Where(x => x.Action == FixList.Exclude).Select(x => x.Path)));
    }

    [Fact]
    public void A_truncated_file_is_told_from_a_corrupt_one_by_its_missing_end_marker()
    {
        var png = ImageEncoder.EncodePng(AuditFolders.Image(1, 0), AuditFolders.Gray28);
        var jpeg = ImageEncoder.EncodeJpeg(AuditFolders.Image(1, 0), AuditFolders.Gray28);
        Assert.True(FileScanner.EndsCompletely(png, ImageFormat.Png));
        Assert.False(FileScanner.EndsCompletely(png[..(png.Length - 20)], ImageFormat.Png));
        Assert.True(FileScanner.EndsCompletely(jpeg, ImageFormat.Jpeg));
        Assert.False(FileScanner.EndsCompletely(jpeg[..(jpeg.Length / 2)], ImageFormat.Jpeg));
        Assert.True(FileScanner.StartsValidly(png[..40], ImageFormat.Png));
        Assert.False(FileScanner.StartsValidly([.. png[..8], .. new byte[40]], ImageFormat.Png));
    }

    [Fact]
    public void Classes_are_counted_with_their_imbalance_and_the_ones_too_small_to_fold()
    {
        using var temp = new TempDirectory();
        string root = temp.File("data");
        AuditFolders.Write(Path.Combine(root, "train"), new Dictionary<string, int> { ["trouser"] = 1, ["bag"] = 8 }, perClass: 12);
        AuditFolders.Write(Path.Combine(root, "train"), new Dictionary<string, int> { ["sneaker"] = 7 }, perClass: 3);
        Directory.CreateDirectory(Path.Combine(root, "train", "empty-class"));
        AuditFolders.Write(Path.Combine(root, "test"), new Dictionary<string, int> { ["trouser"] = 1, ["bag"] = 8 }, perClass: 2, first: 100);
        File.WriteAllBytes(Path.Combine(root, "train", "bag", "broken.png"), []); // not counted: it is no image

        var report = DatasetAudit.Run(root, null, NoLabels);

        var c = report.Classes;
        Assert.Equal(["bag", "empty-class", "sneaker", "trouser"], c.Classes.Select(x => x.Name));
        Assert.Equal([12, 0, 3, 12], c.Classes.Select(x => x.Train));
        Assert.Equal([2, 0, 0, 2], c.Classes.Select(x => x.Test));
        Assert.Equal(4.0, c.ImbalanceRatio);
        Assert.Equal(["sneaker"], c.TooFewForFolds);
        Assert.Empty(c.TooFewForSplit);
        Assert.Equal(["empty-class"], c.Empty);
        Assert.Equal(["sneaker"], c.MissingFromTest);
        Assert.True(c.HasFindings);
        Assert.Contains(AuditSummary.Actions(report), a => a.Contains("imbalanced (4.0:1)"));
    }

    static byte[] Colour(byte[] gray)
    {
        var rgb = new byte[3 * gray.Length];
        for (int i = 0; i < gray.Length; i++) { rgb[i] = gray[i]; rgb[gray.Length + i] = (byte)(gray[i] / 2); rgb[2 * gray.Length + i] = 40; }
        return rgb;
    }
}
