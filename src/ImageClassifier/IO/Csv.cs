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

/// <summary>Reads CSV as RFC 4180 writes it (quoted fields, doubled quotes, line breaks inside quotes; CRLF or LF).</summary>
public static class CsvReader
{
    public static IEnumerable<List<string>> Records(TextReader reader)
    {
        var record = new List<string>();
        var field = new System.Text.StringBuilder();
        bool quoted = false, any = false;
        int c;
        while ((c = reader.Read()) >= 0)
        {
            any = true;
            if (quoted)
            {
                if (c == '"')
                {
                    if (reader.Peek() == '"') { field.Append('"'); reader.Read(); }
                    else quoted = false;
                }
                else field.Append((char)c);
                continue;
            }
            switch (c)
            {
                case '"': quoted = true; break;
                case ',': record.Add(field.ToString()); field.Clear(); break;
                case '\r': break;
                case '\n':
                    record.Add(field.ToString());
                    field.Clear();
                    yield return record;
                    record = [];
                    any = false;
                    break;
                default: field.Append((char)c); break;
            }
        }
        if (any)
        {
            record.Add(field.ToString());
            yield return record;
        }
    }
}
