using System.Globalization;
using System.Net;
using System.Text;

namespace ImageClassifier.Reporting;

/// <summary>
/// The few HTML pieces the report is made of, with every text escaped. By hand because a report of
/// headings, tables and images needs no template engine, and one would be another dependency.
/// </summary>
internal static class Html
{
    public static string Escape(string text) => WebUtility.HtmlEncode(text);

    /// <summary>A PNG as an &lt;img&gt; with its bytes inline (a data: URI), so the page needs no other file.</summary>
    public static string Image(byte[] png, string alt, string? cssClass = null) =>
        $"<img{(cssClass is null ? "" : $" class=\"{cssClass}\"")} alt=\"{Escape(alt)}\" src=\"data:image/png;base64,{Convert.ToBase64String(png)}\">";

    /// <summary>A table; cells are escaped, numeric-looking columns right-aligned by the stylesheet.</summary>
    public static string Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows, string? caption = null, IReadOnlySet<int>? numeric = null)
    {
        var html = new StringBuilder("<table>");
        if (caption is not null) html.Append("<caption>").Append(Escape(caption)).Append("</caption>");
        html.Append("<thead><tr>");
        foreach (string header in headers) html.Append("<th>").Append(Escape(header)).Append("</th>");
        html.Append("</tr></thead><tbody>");
        foreach (var row in rows)
        {
            html.Append("<tr>");
            for (int i = 0; i < row.Count; i++)
                html.Append(numeric?.Contains(i) == true ? "<td class=\"num\">" : "<td>").Append(Escape(row[i])).Append("</td>");
            html.Append("</tr>");
        }
        return html.Append("</tbody></table>").ToString();
    }

    /// <summary>A two-column table of names and values.</summary>
    public static string Facts(IEnumerable<(string Name, string Value)> facts)
    {
        var html = new StringBuilder("<table class=\"facts\"><tbody>");
        foreach (var (name, value) in facts)
            html.Append("<tr><th>").Append(Escape(name)).Append("</th><td class=\"num\">").Append(Escape(value)).Append("</td></tr>");
        return html.Append("</tbody></table>").ToString();
    }

    public static string Number(double value, string format = "0.0000") =>
        double.IsNaN(value) ? "nan" : value.ToString(format, CultureInfo.InvariantCulture);

    public static string Percent(double value) =>
        double.IsNaN(value) ? "nan" : (100 * value).ToString("0.00", CultureInfo.InvariantCulture) + "%";

    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
