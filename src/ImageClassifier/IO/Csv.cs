using System.Globalization;

namespace ImageClassifier.IO;

/// <summary>
/// CSV as RFC 4180 writes it: fields joined by commas, a field that holds a comma, quote, CR or LF quoted with
/// its quotes doubled. Numbers in the invariant culture, round-trip, so NaN is "NaN" (what pandas reads as missing).
/// Lines end as the caller's writer ends them. Writing RFC 4180 is these few lines; CsvHelper would be a dependency for them.
/// </summary>
public static class Csv
{
    /// <summary>One record, without its line break.</summary>
    public static string Line(params IEnumerable<string> fields) => string.Join(",", fields.Select(Field));

    public static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"") + "\"";

    /// <summary>The first field of a record (unquoted), for reading back a key column.</summary>
    public static string FirstField(string line)
    {
        if (!line.StartsWith('"')) return line.IndexOf(',') is int comma and >= 0 ? line[..comma] : line;
        var field = new System.Text.StringBuilder();
        for (int i = 1; i < line.Length; i++)
        {
            if (line[i] != '"') field.Append(line[i]);
            else if (i + 1 < line.Length && line[i + 1] == '"') field.Append(line[++i]);
            else break;
        }
        return field.ToString();
    }

    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
