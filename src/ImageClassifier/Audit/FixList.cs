using ImageClassifier.Data;
using ImageClassifier.IO;

namespace ImageClassifier.Audit;

/// <summary>
/// What to do about each file, and the CSV of it (path, split, action, reason, suggestion) that
/// <c>imgclass train --exclude</c> reads: it leaves out the rows whose action is exclude.
/// <list type="bullet">
/// <item>broken files (empty, not images, truncated, corrupt): exclude;</item>
/// <item>exact duplicates with one label: keep one copy (the test copy when the group spans both splits, so the test
/// set stays as it is and training loses the leaked copy), exclude the others; with conflicting labels: review all;</item>
/// <item>near duplicates: review (a threshold can match look-alikes), the training copy of a cross-split pair first;</item>
/// <item>label issues: review, with the suggested label; wrong extensions: rename; unusual sizes, colours, blank images: review.</item>
/// </list>
/// </summary>
public static class FixList
{
    public const string Exclude = "exclude";
    public const string Review = "review";
    public const string Rename = "rename";

    public static List<FixEntry> Of(IReadOnlyList<FileFinding> files, DuplicateFindings duplicates, LabelCheck? labels)
    {
        var entries = new List<FixEntry>();
        var excluded = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files.Where(f => FileProblems.IsBroken(f.Kind)))
            if (excluded.Add(file.Path)) entries.Add(new FixEntry(file.Path, file.Split, Exclude, $"{file.Kind}: {file.Detail}", null));

        foreach (var group in duplicates.Exact)
        {
            if (group.ConflictingLabels)
            {
                foreach (var m in group.Members)
                    entries.Add(new FixEntry(m.Path, m.Split, Review, $"exact duplicate with different labels ({string.Join(", ", group.Members.Select(x => x.Class).Distinct())})", "keep one copy, in the right class"));
                continue;
            }
            var keep = group.Members.FirstOrDefault(m => m.Split == FolderListing.Test) ?? group.Members[0];
            foreach (var m in group.Members.Where(m => m != keep))
                if (excluded.Add(m.Path))
                    entries.Add(new FixEntry(m.Path, m.Split, Exclude,
                        m.Split != keep.Split ? $"exact duplicate of test image {keep.Path} (leakage)" : $"exact duplicate of {keep.Path}", null));
        }

        foreach (var pair in duplicates.NearPairs)
        {
            var (look, other) = pair.B.Split == FolderListing.Train || pair.A.Split != FolderListing.Train ? (pair.B, pair.A) : (pair.A, pair.B);
            if (excluded.Contains(look.Path)) continue;
            string what = pair.Leakage ? "near duplicate across training and test (leakage)" : "near duplicate";
            if (pair.ConflictingLabels) what += $" with another label ({other.Class})";
            entries.Add(new FixEntry(look.Path, look.Split, Review, $"{what} of {other.Path} (pHash distance {pair.HashDistance}, correlation {pair.Correlation:0.000})", $"exclude it, or {other.Path}"));
        }

        foreach (var issue in labels?.Issues ?? [])
            if (!excluded.Contains(issue.Path))
                entries.Add(new FixEntry(issue.Path, issue.Split, Review, $"label '{issue.GivenLabel}' doubted (rank {issue.Rank}, p = {issue.SelfConfidence:0.000} against the class threshold {issue.Threshold:0.000})",
                    $"relabel as '{issue.SuggestedLabel}' (p = {issue.SuggestedConfidence:0.000})"));

        foreach (var file in files.Where(f => !FileProblems.IsBroken(f.Kind)))
            entries.Add(new FixEntry(file.Path, file.Split, file.Kind == FileProblems.WrongExtension ? Rename : Review, $"{file.Kind}: {file.Detail}", null));
        return entries;
    }

    public const string Header = "path,split,action,reason,suggestion";

    public static void Write(string path, IEnumerable<FixEntry> entries)
    {
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } folder) Directory.CreateDirectory(folder);
        using var writer = new StreamWriter(path);
        writer.WriteLine(Header);
        foreach (var e in entries) writer.WriteLine(Csv.Line(e.Path, e.Split, e.Action, e.Reason, e.Suggestion ?? ""));
    }
}
