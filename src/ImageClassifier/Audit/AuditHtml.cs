using System.Text;
using ImageClassifier.Imaging;
using ImageClassifier.Reporting;

namespace ImageClassifier.Audit;

/// <summary>
/// The report as one self-contained HTML page in the report's style (<see cref="Html.Page"/>): the summary and what
/// to do, the file findings, the classes, the duplicate groups and the label issues, each image shown (read again
/// from its file and shrunk to a thumbnail; only the first <see cref="AuditSettings.Shown"/> of each kind).
/// </summary>
public static class AuditHtml
{
    public const string DefaultFileName = "audit.html";
    const int Thumbnail = 96;

    public static string Render(AuditReport r, int shown = 60)
    {
        var sections = new List<(string, string, string)>
        {
            ("summary", "Summary", Html.Cards(AuditSummary.Counts(r)) + "<h3>What to do</h3><ul>" +
                string.Concat(AuditSummary.Actions(r).Select(a => $"<li>{Html.Escape(a)}</li>")) + "</ul>"),
            ("files", "Files", Files(r, shown)),
            ("classes", "Classes", Classes(r)),
            ("duplicates", "Duplicates", Duplicates(r, shown)),
            ("labels", "Label issues", Labels(r, shown)),
            ("settings", "Settings", Html.Facts(Settings(r))),
        };
        return Html.Page("Dataset audit", r.Data + (r.Test is null ? "" : $" (test: {r.Test})"), sections);
    }

    public static string Write(string path, AuditReport report, int shown = 60)
    {
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } folder) Directory.CreateDirectory(folder);
        File.WriteAllText(path, Render(report, shown));
        return Path.GetFullPath(path);
    }

    static string Files(AuditReport r, int shown)
    {
        if (r.FileFindings.Count == 0) return "<p>Every file is a readable image with the right extension, a usual size and colour mode.</p>";
        var html = new StringBuilder();
        var broken = r.FileFindings.Where(f => FileProblems.IsBroken(f.Kind)).ToList();
        if (broken.Count > 0)
            html.Append(Html.Table(["file", "split", "class", "problem", "detail"],
                broken.Take(shown * 4).Select(f => (IReadOnlyList<string>)[f.Path, f.Split, f.Class, f.Kind, f.Detail]), $"Broken files ({broken.Count}): exclude them"));
        var odd = r.FileFindings.Where(f => !FileProblems.IsBroken(f.Kind)).ToList();
        if (odd.Count > 0)
        {
            html.Append($"<h3>Images worth a look ({odd.Count})</h3><div class=\"tiles\">");
            foreach (var f in odd.Take(shown)) html.Append(Tile(f.Path, $"{f.Kind}: {f.Detail}", f.Split, f.Class));
            html.Append("</div>");
        }
        return html.ToString();
    }

    static string Classes(AuditReport r)
    {
        var c = r.Classes;
        var notes = new List<string>();
        if (c.ImbalanceRatio >= ClassBalance.NotableImbalance) notes.Add($"Imbalanced: the largest training class has {c.ImbalanceRatio:0.0} times the images of the smallest.");
        if (c.TooFewForSplit.Count > 0) notes.Add($"Too few for a stratified split (fewer than 2 training images): {string.Join(", ", c.TooFewForSplit)}.");
        if (c.TooFewForFolds.Count > 0) notes.Add($"Too few for stratified {c.Folds}-fold cross-validation: {string.Join(", ", c.TooFewForFolds)}.");
        if (c.Empty.Count > 0) notes.Add($"No usable images: {string.Join(", ", c.Empty)}.");
        if (c.MissingFromTest.Count > 0) notes.Add($"No test images: {string.Join(", ", c.MissingFromTest)}.");
        if (c.MissingFromTrain.Count > 0) notes.Add($"No training images: {string.Join(", ", c.MissingFromTrain)}.");
        return Html.Table(["class", "train", "test"], c.Classes.Select(x => (IReadOnlyList<string>)[x.Name, Html.Count(x.Train), Html.Count(x.Test)]),
                $"Usable images per class (imbalance ratio {Html.Number(c.ImbalanceRatio, "0.0#")})", new HashSet<int> { 1, 2 })
            + string.Concat(notes.Select(n => $"<p class=\"warning\">{Html.Escape(n)}</p>"));
    }

    static string Duplicates(AuditReport r, int shown)
    {
        var d = r.Duplicates;
        var html = new StringBuilder($"<p>{d.Exact.Count} exact group(s) (the same decoded pixels), {d.Near.Count} near group(s) " +
            $"(pHash within {r.Settings.HashDistance} bits and thumbnails correlated at {r.Settings.MinCorrelation} or more" +
            (r.Settings.Features ? $", or ResNet18 features at cosine similarity {r.Settings.MinFeatureSimilarity} or more" : "") + ").</p>");
        // Leaks and conflicting labels first: they matter most.
        var groups = d.Exact.Concat(d.Near).OrderByDescending(g => g.Leakage).ThenByDescending(g => g.ConflictingLabels).Take(shown).ToList();
        foreach (var g in groups)
        {
            string flags = (g.Leakage ? " <span class=\"warning\">train/test leakage</span>" : "") + (g.ConflictingLabels ? " <span class=\"warning\">different labels</span>" : "");
            html.Append($"<div class=\"group\"><p>{g.Kind} duplicates, {g.Members.Count} images{flags}</p><div class=\"tiles\">");
            foreach (var m in g.Members.Take(12)) html.Append(Tile(m.Path, null, m.Split, m.Class));
            html.Append("</div></div>");
        }
        if (d.Exact.Count + d.Near.Count > shown) html.Append($"<p class=\"note\">... and {d.Exact.Count + d.Near.Count - shown} more group(s) in the JSON report.</p>");
        if (d.NearPairs.Count > 0)
            html.Append(Html.Table(["image", "near duplicate", "pHash distance", "correlation", "leakage", "labels"],
                d.NearPairs.Take(shown * 4).Select(p => (IReadOnlyList<string>)[p.A.Path, p.B.Path, p.HashDistance.ToString(), Html.Number(p.Correlation, "0.000"),
                    p.Leakage ? "yes" : "", p.ConflictingLabels ? $"{p.A.Class} / {p.B.Class}" : ""]), "Near-duplicate pairs", new HashSet<int> { 2, 3 }));
        return html.ToString();
    }

    static string Labels(AuditReport r, int shown)
    {
        if (r.Labels is not { } labels) return "<p class=\"note\">Labels were not checked.</p>";
        var html = new StringBuilder($"<p>Probabilities from {Html.Escape(labels.Method)}; held-out accuracy {Html.Percent(labels.HeldOutAccuracy)}. " +
            "An image is doubted when its most likely class, among those whose probability reaches the class's threshold (the mean " +
            "probability of images labelled with it), is not its label, nor its most probable class (confident learning); most doubtful first (lowest probability of the given label).</p>");
        if (labels.Issues.Count == 0) return html.Append("<p>No label is doubted.</p>").ToString();
        html.Append("<div class=\"tiles\">");
        foreach (var i in labels.Issues.Take(shown))
            html.Append(Tile(i.Path, $"#{i.Rank}: labelled {i.GivenLabel} (p {i.SelfConfidence:0.00}); suggested {i.SuggestedLabel} (p {i.SuggestedConfidence:0.00})", i.Split, null));
        html.Append("</div>");
        if (labels.Issues.Count > shown) html.Append($"<p class=\"note\">... and {labels.Issues.Count - shown} more in the JSON report and the fix list.</p>");
        return html.ToString();
    }

    static IEnumerable<(string, string)> Settings(AuditReport r)
    {
        var s = r.Settings;
        yield return ("input size of the label check", r.InputShape);
        yield return ("pHash distance", s.HashDistance.ToString());
        yield return ("thumbnail correlation", Html.Number(s.MinCorrelation, "0.00"));
        if (s.MinFeatureSimilarity is double f) yield return ("feature similarity", Html.Number(f, "0.00"));
        yield return ("label check", s.ModelFile is null ? $"{s.Folds} folds x {s.Epochs} epochs of {s.Model}" : $"model {s.ModelFile}");
        yield return ("seed", s.Seed.ToString());
        yield return ("seconds", $"{r.Seconds.Total:0.0} (scan {r.Seconds.Scan:0.0}, duplicates {r.Seconds.Duplicates:0.0}, labels {r.Seconds.Labels:0.0})");
    }

    // An image with its file name, split and class, and a caption; a file that no longer decodes shows as text.
    static string Tile(string path, string? caption, string split, string? label)
    {
        string picture;
        try
        {
            var image = ImageDecoder.DecodeFileNative(path);
            double scale = Math.Min(1.0, (double)Thumbnail / Math.Max(image.Width, image.Height));
            var small = scale < 1 ? image.ResizeTo(new ImageShape(image.Channels, Math.Max(1, (int)(image.Height * scale)), Math.Max(1, (int)(image.Width * scale)))) : image;
            picture = Html.Image(ImageEncoder.EncodePng(small.Pixels, small.Shape), Path.GetFileName(path));
        }
        catch (ImageDecodeException e)
        {
            picture = $"<div class=\"note\">{Html.Escape(e.Reason)}</div>";
        }
        return $"<figure class=\"tile\">{picture}<figcaption><b>{Html.Escape(Path.GetFileName(path))}</b> {Html.Escape(split)}{(label is null ? "" : " / " + Html.Escape(label))}" +
            $"{(caption is null ? "" : "<br>" + Html.Escape(caption))}<br><span class=\"path\">{Html.Escape(path)}</span></figcaption></figure>";
    }
}
