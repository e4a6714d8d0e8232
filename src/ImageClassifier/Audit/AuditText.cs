using System.Globalization;

namespace ImageClassifier.Audit;

/// <summary>The report as plain text for the terminal: the summary, what to do, then the findings of each kind (the first <c>shown</c> of each).</summary>
public static class AuditText
{
    public static string Render(AuditReport r, int shown = 20)
    {
        var text = new StringWriter(CultureInfo.InvariantCulture);
        text.WriteLine($"Audit of {r.Data}" + (r.Test is null ? "" : $" (test: {r.Test})"));
        foreach (var (name, value) in AuditSummary.Counts(r)) text.WriteLine($"  {name,-34}{value}");
        text.WriteLine();
        text.WriteLine("What to do:");
        foreach (string action in AuditSummary.Actions(r)) text.WriteLine($"  - {action}");

        Section(text, "Files", r.FileFindings, shown, f => $"{f.Kind,-20} {f.Path}: {f.Detail}");
        text.WriteLine();
        text.WriteLine($"Classes (imbalance ratio {r.Classes.ImbalanceRatio:0.0#}):");
        foreach (var c in r.Classes.Classes) text.WriteLine($"  {c.Name,-24}{c.Train,8:N0} train{c.Test,8:N0} test");
        Section(text, "Exact duplicates", r.Duplicates.Exact, shown, Group);
        Section(text, "Near duplicates", r.Duplicates.NearPairs, shown, p =>
            $"{Flags(p.Leakage, p.ConflictingLabels)}{p.A.Path} ~ {p.B.Path} (pHash distance {p.HashDistance}, correlation {p.Correlation:0.000}" +
            (p.FeatureSimilarity is double s ? $", feature similarity {s:0.000})" : ")"));
        if (r.Labels is { } labels)
        {
            text.WriteLine();
            text.WriteLine($"Label check: {labels.Method}; held-out accuracy {labels.HeldOutAccuracy:P1}");
            Section(text, "Likely label errors", labels.Issues, shown, i =>
                $"#{i.Rank} {i.Path}: labelled '{i.GivenLabel}' (p = {i.SelfConfidence:0.000}, threshold {i.Threshold:0.000}), suggested '{i.SuggestedLabel}' (p = {i.SuggestedConfidence:0.000})");
        }
        text.WriteLine();
        text.WriteLine($"Took {r.Seconds.Total:0.0}s (scan {r.Seconds.Scan:0.0}s, duplicates {r.Seconds.Duplicates:0.0}s, labels {r.Seconds.Labels:0.0}s).");
        return text.ToString();
    }

    static string Group(DuplicateGroup g) =>
        $"{Flags(g.Leakage, g.ConflictingLabels)}{string.Join(" = ", g.Members.Select(m => $"{m.Path} [{m.Split}, {m.Class}]"))}";

    static string Flags(bool leakage, bool conflicting) => (leakage ? "[train/test leakage] " : "") + (conflicting ? "[different labels] " : "");

    static void Section<T>(StringWriter text, string title, IReadOnlyList<T> items, int shown, Func<T, string> line)
    {
        text.WriteLine();
        text.WriteLine($"{title}: {(items.Count == 0 ? "none" : items.Count.ToString("N0", CultureInfo.InvariantCulture))}");
        foreach (var item in items.Take(shown)) text.WriteLine($"  {line(item)}");
        if (items.Count > shown) text.WriteLine($"  ... and {items.Count - shown:N0} more (see the JSON or HTML report)");
    }
}
