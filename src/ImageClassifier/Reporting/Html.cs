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

    /// <summary>
    /// A whole page in the report's style (the stylesheet inline): a header with <paramref name="title"/> and
    /// <paramref name="subtitle"/>, a link to each section, the sections, and the footer.
    /// </summary>
    public static string Page(string title, string subtitle, IEnumerable<(string Id, string Heading, string Body)> sections)
    {
        var list = sections.ToList();
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            // An empty icon, so that the browser does not go looking for favicon.ico.
            .Append("<link rel=\"icon\" href=\"data:,\">\n")
            .Append("<title>").Append(Escape(title)).Append("</title>\n")
            .Append("<style>\n").Append(ReportStyle.Css).Append("\n</style>\n</head>\n<body>\n")
            .Append("<header><h1>").Append(Escape(title)).Append("</h1><p>").Append(Escape(subtitle)).Append("</p></header>\n<nav>");
        foreach (var (id, heading, _) in list) html.Append("<a href=\"#").Append(id).Append("\">").Append(Escape(heading)).Append("</a>");
        html.Append("</nav>\n<main>\n");
        foreach (var (id, heading, body) in list)
            html.Append("<section id=\"").Append(id).Append("\">\n<h2>").Append(Escape(heading)).Append("</h2>\n").Append(body).Append("\n</section>\n");
        html.Append("</main>\n<footer>Made by imgclass. Everything on this page is inside this one file.</footer>\n</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>Summary cards: a large value over its name.</summary>
    public static string Cards(IEnumerable<(string Name, string Value)> cards)
    {
        var html = new StringBuilder("<div class=\"cards\">");
        foreach (var (name, value) in cards)
            html.Append("<div class=\"card\"><div class=\"value\">").Append(Escape(value)).Append("</div><div class=\"name\">").Append(Escape(name)).Append("</div></div>");
        return html.Append("</div>").ToString();
    }

    public static string Number(double value, string format = "0.0000") =>
        double.IsNaN(value) ? "nan" : value.ToString(format, CultureInfo.InvariantCulture);

    public static string Percent(double value) =>
        double.IsNaN(value) ? "nan" : (100 * value).ToString("0.00", CultureInfo.InvariantCulture) + "%";

    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
