namespace ImageClassifier.Audit;

/// <summary>The report's headline: counts of each finding and what to do, in plain sentences, shared by the text and HTML writers.</summary>
public static class AuditSummary
{
    public static IEnumerable<(string Name, string Value)> Counts(AuditReport r)
    {
        var d = r.Duplicates;
        yield return ("files", $"{r.Files:N0}");
        yield return ("images", $"{r.Images:N0}");
        yield return ("broken files", $"{r.BrokenFiles:N0}");
        yield return ("other file findings", $"{r.FileFindings.Count - r.BrokenFiles:N0}");
        yield return ("classes", $"{r.ClassNames.Count}");
        yield return ("imbalance ratio", double.IsNaN(r.Classes.ImbalanceRatio) ? "n/a" : $"{r.Classes.ImbalanceRatio:0.0#}");
        yield return ("exact duplicate groups", $"{d.Exact.Count:N0}");
        yield return ("near duplicate groups", $"{d.Near.Count:N0}");
        yield return ("groups across train and test", $"{d.Exact.Concat(d.Near).Count(g => g.Leakage):N0}");
        yield return ("duplicates with different labels", $"{d.Exact.Concat(d.Near).Count(g => g.ConflictingLabels):N0}");
        yield return ("likely label errors", r.Labels is null ? "not checked" : $"{r.Labels.Issues.Count:N0}");
    }

    /// <summary>What to do, one sentence per kind of finding; a clean dataset gets one sentence saying so.</summary>
    public static List<string> Actions(AuditReport r)
    {
        var actions = new List<string>();
        int exclude = r.Fixes.Count(f => f.Action == FixList.Exclude);
        if (r.BrokenFiles > 0) actions.Add($"Remove {r.BrokenFiles} broken file(s) (empty, not images, truncated or corrupt): training skips them anyway, with a warning each time.");
        var exactExtra = r.Fixes.Count(f => f.Action == FixList.Exclude && f.Reason.StartsWith("exact duplicate", StringComparison.Ordinal));
        if (exactExtra > 0) actions.Add($"Deduplicate: {exactExtra} exact copies to drop, keeping one of each ({r.Duplicates.Exact.Count(g => g.Leakage)} group(s) leak between training and test: their training copies go).");
        int conflicting = r.Duplicates.Exact.Concat(r.Duplicates.Near).Count(g => g.ConflictingLabels);
        if (conflicting > 0) actions.Add($"Resolve {conflicting} duplicate group(s) whose copies carry different labels: at most one label is right.");
        if (r.Duplicates.NearPairs.Count > 0) actions.Add($"Review {r.Duplicates.NearPairs.Count} near-duplicate pair(s) ({r.Duplicates.NearPairs.Count(p => p.Leakage)} across training and test) and drop one of each true copy.");
        if (r.Labels is { Issues.Count: > 0 } labels) actions.Add($"Review {labels.Issues.Count} likely label error(s), most doubtful first, each with a suggested label.");
        int renames = r.Fixes.Count(f => f.Action == FixList.Rename);
        if (renames > 0) actions.Add($"Rename {renames} file(s) whose extension does not match their content.");
        if (r.Classes.ImbalanceRatio >= ClassBalance.NotableImbalance)
            actions.Add($"Classes are imbalanced ({r.Classes.ImbalanceRatio:0.0}:1): gather more of the small classes, or train with --class-weights balanced or --oversample.");
        if (r.Classes.TooFewForFolds.Count > 0)
            actions.Add($"Classes with fewer than {r.Classes.Folds} training images ({string.Join(", ", r.Classes.TooFewForFolds)}) cannot be stratified into {r.Classes.Folds} folds; gather more.");
        if (r.Classes.MissingFromTrain.Count > 0) actions.Add($"Classes with test images but no training images: {string.Join(", ", r.Classes.MissingFromTrain)}.");
        if (r.Classes.Empty.Count > 0) actions.Add($"Class folders with no usable image: {string.Join(", ", r.Classes.Empty)}.");
        if (exclude > 0) actions.Add($"The fix list marks {exclude} file(s) exclude: imgclass train --exclude FIXES.csv leaves them out.");
        if (actions.Count == 0) actions.Add("Nothing found: no broken files, no duplicates, balanced classes" + (r.Labels is null ? "." : " and no doubtful labels."));
        return actions;
    }
}
