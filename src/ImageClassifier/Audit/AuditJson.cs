using System.Text.Json;
using ImageClassifier.Recipes;

namespace ImageClassifier.Audit;

/// <summary>The report as JSON: snake_case keys, as summary.json and every --json output of imgclass.</summary>
public static class AuditJson
{
    public static string Serialize(AuditReport report) => JsonSerializer.Serialize(report, TrainingResult.JsonOptions);

    public static void Write(string path, AuditReport report)
    {
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } folder) Directory.CreateDirectory(folder);
        File.WriteAllText(path, Serialize(report));
    }
}
