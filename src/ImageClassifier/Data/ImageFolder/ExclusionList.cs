using ImageClassifier.IO;

namespace ImageClassifier.Data;

/// <summary>
/// Files to leave out of an image folder, read from a CSV with a header that has a <c>path</c> column, such as the fix
/// list <c>imgclass audit --fix-list</c> writes. When the CSV has an <c>action</c> column, only the rows whose action
/// is <c>exclude</c> count (the audit's <c>review</c> rows stay until a user changes them). Relative paths are taken
/// relative to <c>relativeTo</c> (the data folder), else to the CSV's own folder.
/// </summary>
public static class ExclusionList
{
    public static IReadOnlySet<string> Read(string csv, string? relativeTo = null)
    {
        if (!File.Exists(csv)) throw new DatasetException("exclusion list not found.", csv);
        using var reader = new StreamReader(csv);
        var records = CsvReader.Records(reader).Where(r => r.Count > 1 || r[0].Length > 0).ToList();
        if (records.Count == 0) throw new DatasetException("exclusion list is empty; expected a header with a 'path' column.", csv);
        var header = records[0].Select(h => h.Trim().ToLowerInvariant()).ToList();
        int path = header.IndexOf("path"), action = header.IndexOf("action");
        if (path < 0)
            throw new DatasetException($"exclusion list has no 'path' column (its header is '{string.Join(",", records[0])}'); expected e.g. 'path,action' as imgclass audit --fix-list writes.", csv);
        string root = relativeTo is not null && Directory.Exists(relativeTo) ? relativeTo : Path.GetDirectoryName(Path.GetFullPath(csv))!;
        var files = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 1; i < records.Count; i++)
        {
            var row = records[i];
            if (path >= row.Count || row[path].Length == 0)
                throw new DatasetException($"line {i + 1} of the exclusion list has no path.", csv);
            if (action >= 0 && (action >= row.Count || !row[action].Trim().Equals("exclude", StringComparison.OrdinalIgnoreCase))) continue;
            files.Add(Path.GetFullPath(row[path], root));
        }
        return files;
    }
}
