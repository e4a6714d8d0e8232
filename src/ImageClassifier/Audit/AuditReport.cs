using System.Text.Json.Serialization;
using ImageClassifier.Imaging;

namespace ImageClassifier.Audit;

/// <summary>What the label check found: how the probabilities were made, the per-class thresholds, and the issues, most doubtful first.</summary>
public sealed record LabelCheck(string Method, double HeldOutAccuracy, IReadOnlyDictionary<string, double> Thresholds, IReadOnlyList<LabelIssue> Issues,
    double Seconds)
{
    /// <summary>Every decoded image's file index, most doubtful label first (the issues lead it). For precision-at-K and for the curious.</summary>
    [JsonIgnore] public IReadOnlyList<int> Ranking { get; init; } = [];

    /// <summary>Each decoded image's file index and held-out probabilities (in class order), for other rankings and calibration.</summary>
    [JsonIgnore] public IReadOnlyList<(int File, float[] Probabilities)> Predictions { get; init; } = [];
}

/// <summary>Something the user should do about a file, as the fix list writes it.</summary>
/// <param name="Action">exclude (train --exclude leaves it out), review (look, then decide) or rename.</param>
public sealed record FixEntry(string Path, string Split, string Action, string Reason, string? Suggestion);

/// <summary>How long each part of the audit took, in seconds.</summary>
public sealed record AuditTimings(double Scan, double Duplicates, double Labels, double Total);

/// <summary>Everything an audit found, as the text, JSON and HTML writers show it.</summary>
public sealed record AuditReport
{
    public required string Data { get; init; }
    public string? Test { get; init; }
    public required int Files { get; init; }
    public required int Images { get; init; }
    public required IReadOnlyList<string> ClassNames { get; init; }
    /// <summary>The size the models saw ("28x28x1").</summary>
    public required string InputShape { get; init; }
    public required AuditSettingsSummary Settings { get; init; }
    public required IReadOnlyList<FileFinding> FileFindings { get; init; }
    public required ClassBalance Classes { get; init; }
    public required DuplicateFindings Duplicates { get; init; }
    public LabelCheck? Labels { get; init; }
    public required IReadOnlyList<FixEntry> Fixes { get; init; }
    public required AuditTimings Seconds { get; init; }

    /// <summary>The files scanned, for the writers (pictures) and tests; not written to JSON.</summary>
    [JsonIgnore] public IReadOnlyList<ScannedFile> Scanned { get; init; } = [];

    [JsonIgnore] public int BrokenFiles => FileFindings.Count(f => FileProblems.IsBroken(f.Kind));
    [JsonIgnore] public bool Clean => FileFindings.Count == 0 && !Classes.HasFindings && Duplicates.Exact.Count == 0 && Duplicates.Near.Count == 0
        && (Labels is null || Labels.Issues.Count == 0);
}

/// <summary>The settings an audit ran with, as the report records them.</summary>
public sealed record AuditSettingsSummary(int HashDistance, double MinCorrelation, bool Features, double? MinFeatureSimilarity, int Folds, int Epochs, string Model,
    string? ModelFile, int Seed)
{
    public static AuditSettingsSummary Of(AuditSettings s) => new(s.HashDistance, s.MinCorrelation, s.Features, s.Features ? s.MinFeatureSimilarity : null,
        s.Folds, s.Epochs, s.Model, s.ModelFile, s.Seed);
}

static class ShapeText
{
    public static string Of(ImageShape shape) => $"{shape.Height}x{shape.Width}x{shape.Channels}";
}
