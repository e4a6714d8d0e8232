using ImageClassifier.Data;
using ImageClassifier.Imaging;

namespace ImageClassifier.Audit;

/// <summary>One planted problem: its kind, the file that carries it and, for copies, the file it copies; for flips the true class.</summary>
public sealed record PlantedProblem(string Kind, string Path, string? Original = null, string? TrueClass = null);

/// <summary>A copy of a dataset written as image folders with known problems, and what was planted.</summary>
public sealed record PlantedFolder(string Root, IReadOnlyList<PlantedProblem> Problems, int TrainImages, int TestImages)
{
    public IEnumerable<PlantedProblem> Of(params string[] kinds) => Problems.Where(p => kinds.Contains(p.Kind));
}

/// <summary>How well an audit found what was planted.</summary>
/// <param name="DuplicateRecall">Planted copies (exact and near) found in a duplicate group with their original.</param>
/// <param name="BrokenRecall">Planted broken files (corrupt, truncated, empty) reported as broken.</param>
/// <param name="ExtensionRecall">Files with a planted wrong extension reported as such.</param>
/// <param name="UnplantedPairs">Reported duplicate pairs (near pairs and pairs within exact groups) that were not planted: false alarms, or copies the source dataset already held.</param>
/// <param name="FalseBroken">Files reported broken that were not planted as broken.</param>
/// <param name="PrecisionAtK">Of the K most doubtful labels (K = flipped labels), the share that were flipped.</param>
public sealed record PlantedScore(int PlantedCopies, double DuplicateRecall, double ExactRecall, double NearRecall, int ReportedPairs, int UnplantedPairs,
    int PlantedBroken, double BrokenRecall, int FalseBroken, int PlantedExtensions, double ExtensionRecall,
    int Flipped, double PrecisionAtK, int FlaggedIssues, double FlaggedPrecision, double AuditSeconds, int Images);

/// <summary>
/// Plants the problems an audit should find in a copy of a labelled dataset written as PNG folders (train/ and test/
/// of class subfolders), to measure the audit against known answers:
/// <list type="bullet">
/// <item>exact duplicates: test images copied byte for byte into train (leakage), and training images saved again as
/// RGB PNG (other bytes, same pixels) beside themselves;</item>
/// <item>near duplicates: training images re-encoded as JPEG (quality 75), resized by 3 pixels, and brightened by 12%;</item>
/// <item>broken files: a PNG whose header is garbage (corrupt), PNGs cut in half (truncated), empty .png files;</item>
/// <item>wrong extensions: PNGs named .jpg;</item>
/// <item>label noise: a share of the training images (none of the copied ones) moved to another class's folder, the class drawn uniformly.</item>
/// </list>
/// Every choice is drawn from the seed, so the same call writes the same folder.
/// </summary>
public static class PlantedProblems
{
    public const string ExactCopy = "exact_copy", ExactLeak = "exact_leak", NearJpeg = "near_jpeg", NearResized = "near_resized", NearBrighter = "near_brighter";
    public const string Corrupt = "corrupt", Truncated = "truncated", Empty = "empty", WrongExtension = "wrong_extension", Flipped = "flipped";

    /// <param name="perKind">How many of each kind of copy and broken file to plant.</param>
    /// <param name="flipShare">Share of the training images whose label is flipped.</param>
    public static PlantedFolder Write(ImageDataset train, ImageDataset test, string root, int perKind = 10, double flipShare = 0.03, int seed = 7)
    {
        if (train.Shape.Channels != 1) throw new ArgumentException("Planting works on gray datasets such as Fashion-MNIST.");
        var random = new Random(seed);
        var problems = new List<PlantedProblem>();
        var classes = train.ClassNames.Select(n => n.Replace('/', '-')).ToArray();
        string Folder(string split, int label) => Path.Combine(root, split, classes[label]);
        string PathOf(string split, int label, string name) => Path.Combine(Folder(split, label), name);

        // Which training images get which role, drawn without overlap.
        var order = Enumerable.Range(0, train.Count).ToArray();
        random.Shuffle(order);
        int next = 0;
        int[] Take(int count) { var taken = order[next..(next + count)]; next += count; return taken; }
        var copied = Take(4 * perKind);
        var flipped = Take((int)Math.Round(flipShare * train.Count)).ToHashSet();
        var misnamed = Take(perKind).ToHashSet();
        var labelOf = train.Labels.ToArray();
        foreach (int i in flipped) labelOf[i] = (train.Labels[i] + 1 + random.Next(train.ClassCount - 1)) % train.ClassCount;

        for (int i = 0; i < train.Count; i++)
        {
            string name = $"{i:D5}" + (misnamed.Contains(i) ? ".jpg" : ".png");
            string path = PathOf("train", labelOf[i], name);
            ImageEncoder.WritePng(path, train.Image(i), train.Shape);
            if (flipped.Contains(i)) problems.Add(new PlantedProblem(Flipped, path, TrueClass: train.ClassNames[train.Labels[i]]));
            if (misnamed.Contains(i)) problems.Add(new PlantedProblem(WrongExtension, path));
        }
        for (int i = 0; i < test.Count; i++) ImageEncoder.WritePng(PathOf("test", test.Labels[i], $"t{i:D5}.png"), test.Image(i), test.Shape);

        string Original(int i) => PathOf("train", labelOf[i], $"{i:D5}.png");
        var shape = train.Shape;
        for (int k = 0; k < perKind; k++)
        {
            // Exact: a test image copied into train under its class; a training image saved again as RGB PNG.
            int t = random.Next(test.Count);
            string leak = PathOf("train", test.Labels[t], $"leak{k:D3}.png");
            File.Copy(PathOf("test", test.Labels[t], $"t{t:D5}.png"), leak);
            problems.Add(new PlantedProblem(ExactLeak, leak, PathOf("test", test.Labels[t], $"t{t:D5}.png")));

            int a = copied[4 * k];
            var rgb = new byte[3 * shape.Size];
            for (int c = 0; c < 3; c++) train.Image(a).CopyTo(rgb.AsSpan(c * shape.Size));
            string again = PathOf("train", labelOf[a], $"{a:D5}-rgb.png");
            ImageEncoder.WritePng(again, rgb, new ImageShape(3, shape.Height, shape.Width));
            problems.Add(new PlantedProblem(ExactCopy, again, Original(a)));

            // Near: JPEG, resized by 3 pixels, brightened.
            int b = copied[4 * k + 1];
            string jpeg = PathOf("train", labelOf[b], $"{b:D5}-copy.jpg");
            File.WriteAllBytes(jpeg, ImageEncoder.EncodeJpeg(train.Image(b), shape, quality: 75));
            problems.Add(new PlantedProblem(NearJpeg, jpeg, Original(b)));

            int c2 = copied[4 * k + 2];
            var bigger = new ImageShape(1, shape.Height + 3, shape.Width + 3);
            var image = new DecodedImage(shape.Width, shape.Height, 1, train.Image(c2).ToArray()).ResizeTo(bigger);
            string resized = PathOf("train", labelOf[c2], $"{c2:D5}-resized.png");
            ImageEncoder.WritePng(resized, image.Pixels, bigger);
            problems.Add(new PlantedProblem(NearResized, resized, Original(c2)));

            int d = copied[4 * k + 3];
            var brighter = train.Image(d).ToArray().Select(p => (byte)Math.Min(255, p * 1.12 + 8)).ToArray();
            string bright = PathOf("train", labelOf[d], $"{d:D5}-bright.png");
            ImageEncoder.WritePng(bright, brighter, shape);
            problems.Add(new PlantedProblem(NearBrighter, bright, Original(d)));

            // Broken: a PNG signature with garbage after it, half a PNG, nothing at all.
            int label = random.Next(train.ClassCount);
            var garbage = new byte[400];
            random.NextBytes(garbage);
            byte[] signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
            signature.CopyTo(garbage, 0);
            string corrupt = PathOf("train", label, $"corrupt{k:D3}.png");
            File.WriteAllBytes(corrupt, garbage);
            problems.Add(new PlantedProblem(Corrupt, corrupt));

            var png = ImageEncoder.EncodePng(train.Image(random.Next(train.Count)), shape);
            string cut = PathOf("train", label, $"truncated{k:D3}.png");
            File.WriteAllBytes(cut, png[..(png.Length / 2)]);
            problems.Add(new PlantedProblem(Truncated, cut));

            string empty = PathOf("train", label, $"empty{k:D3}.png");
            File.WriteAllBytes(empty, []);
            problems.Add(new PlantedProblem(Empty, empty));
        }
        return new PlantedFolder(root, problems, train.Count, test.Count);
    }

    /// <summary>Scores an audit of <paramref name="planted"/>'s folder against what was planted.</summary>
    public static PlantedScore Score(PlantedFolder planted, AuditReport report)
    {
        string Full(string p) => Path.GetFullPath(p);
        var groupOf = new Dictionary<string, int>();
        var groups = report.Duplicates.Exact.Concat(report.Duplicates.Near).ToList();
        // A file may sit in an exact group and a near group: map each file to every group it is in.
        var memberships = new Dictionary<string, HashSet<int>>();
        for (int g = 0; g < groups.Count; g++)
            foreach (var m in groups[g].Members)
                (memberships.TryGetValue(m.Path, out var set) ? set : memberships[m.Path] = []).Add(g);
        bool Together(string a, string b) => memberships.TryGetValue(Full(a), out var x) && memberships.TryGetValue(Full(b), out var y) && x.Overlaps(y);

        var copies = planted.Of(ExactCopy, ExactLeak, NearJpeg, NearResized, NearBrighter).ToList();
        double Recall(IEnumerable<PlantedProblem> items)
        {
            var list = items.ToList();
            return list.Count == 0 ? double.NaN : list.Count(p => Together(p.Path, p.Original!)) / (double)list.Count;
        }

        // Reported pairs: the near pairs, and every pair within an exact group.
        var reported = report.Duplicates.NearPairs.Select(p => (p.A.Path, p.B.Path))
            .Concat(report.Duplicates.Exact.SelectMany(g => g.Members.SelectMany((a, i) => g.Members.Skip(i + 1).Select(b => (a.Path, b.Path)))))
            .ToList();
        var plantedPairs = copies.Select(p => Key(Full(p.Path), Full(p.Original!))).ToHashSet();
        int unplanted = reported.Count(p => !plantedPairs.Contains(Key(p.Item1, p.Item2)));

        var broken = planted.Of(Corrupt, Truncated, Empty).Select(p => Full(p.Path)).ToHashSet();
        var reportedBroken = report.FileFindings.Where(f => FileProblems.IsBroken(f.Kind)).Select(f => f.Path).ToHashSet();
        var misnamed = planted.Of(WrongExtension).Select(p => Full(p.Path)).ToHashSet();
        var reportedMisnamed = report.FileFindings.Where(f => f.Kind == FileProblems.WrongExtension).Select(f => f.Path).ToHashSet();

        var flipped = planted.Of(Flipped).Select(p => Full(p.Path)).ToHashSet();
        double precisionAtK = double.NaN, flaggedPrecision = double.NaN;
        int flagged = 0;
        if (report.Labels is { } labels && flipped.Count > 0)
        {
            precisionAtK = labels.Ranking.Take(flipped.Count).Count(f => flipped.Contains(report.Scanned[f].Path)) / (double)flipped.Count;
            flagged = labels.Issues.Count;
            flaggedPrecision = flagged == 0 ? double.NaN : labels.Issues.Count(i => flipped.Contains(i.Path)) / (double)flagged;
        }
        return new PlantedScore(copies.Count, Recall(copies), Recall(copies.Where(p => p.Kind is ExactCopy or ExactLeak)),
            Recall(copies.Where(p => p.Kind is NearJpeg or NearResized or NearBrighter)), reported.Count, unplanted,
            broken.Count, broken.Count == 0 ? double.NaN : broken.Count(reportedBroken.Contains) / (double)broken.Count, reportedBroken.Count(p => !broken.Contains(p)),
            misnamed.Count, misnamed.Count == 0 ? double.NaN : misnamed.Count(reportedMisnamed.Contains) / (double)misnamed.Count,
            flipped.Count, precisionAtK, flagged, flaggedPrecision, report.Seconds.Total, report.Images);
    }

    static (string, string) Key(string a, string b) => string.CompareOrdinal(a, b) < 0 ? (a, b) : (b, a);
}
