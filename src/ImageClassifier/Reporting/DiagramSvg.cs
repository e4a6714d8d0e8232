using System.Globalization;
using System.Xml.Linq;
using SkiaSharp;

namespace ImageClassifier.Reporting;

/// <summary>
/// Writes a diagram layout as SVG with System.Xml.Linq, which escapes every name. SVG is text, and a
/// column of boxes and arrows needs no plotting library.
/// </summary>
internal static class DiagramSvg
{
    const string Namespace = "http://www.w3.org/2000/svg";
    const string ArrowId = "imgclass-diagram-arrow";

    public static string Write(DiagramLayout layout, bool standalone)
    {
        XNamespace ns = standalone ? Namespace : XNamespace.None;
        using var font = ReportFonts.Font(DiagramLayout.FontSize);
        string stroke = Hex(DiagramLayout.Stroke);
        var svg = new XElement(ns + "svg",
            new XAttribute("width", N(layout.Width)), new XAttribute("height", N(layout.Height)),
            new XAttribute("viewBox", $"0 0 {N(layout.Width)} {N(layout.Height)}"),
            new XAttribute("font-family", $"{ReportFonts.Family}, Verdana, sans-serif"), new XAttribute("font-size", N(DiagramLayout.FontSize)),
            new XAttribute("role", "img"),
            new XElement(ns + "title", $"Model diagram: {layout.Title}"),
            new XElement(ns + "defs",
                new XElement(ns + "marker", new XAttribute("id", ArrowId), new XAttribute("viewBox", "0 0 10 10"),
                    new XAttribute("refX", "10"), new XAttribute("refY", "5"), new XAttribute("markerWidth", "10"), new XAttribute("markerHeight", "10"),
                    new XAttribute("markerUnits", "userSpaceOnUse"), new XAttribute("orient", "auto"),
                    new XElement(ns + "path", new XAttribute("d", "M 0 0 L 10 5 L 0 10 z"), new XAttribute("fill", stroke)))),
            new XElement(ns + "rect", new XAttribute("width", "100%"), new XAttribute("height", "100%"), new XAttribute("fill", "white")),
            Text(ns, layout.Title, layout.Width / 2, layout.TitleBaseline, "middle", DiagramLayout.TitleSize, bold: true));

        for (int i = 0; i < layout.Boxes.Count; i++)
        {
            var box = layout.Boxes[i];
            var b = box.Bounds;
            float middle = b.MidY, upper = b.Top + DiagramLayout.RowHeight / 2, lower = middle + DiagramLayout.RowHeight / 2;
            svg.Add(new XElement(ns + "g", new XAttribute("class", "layer"), new XAttribute("data-layer", box.Node.Name),
                new XElement(ns + "rect", new XAttribute("x", N(b.Left)), new XAttribute("y", N(b.Top)), new XAttribute("width", N(b.Width)), new XAttribute("height", N(b.Height)),
                    new XAttribute("fill", Hex(DiagramLayout.Fill(box.Node.Kind))), new XAttribute("stroke", stroke), new XAttribute("stroke-width", "1.5")),
                Line(ns, box.NameRight, b.Top, box.NameRight, b.Bottom, stroke),
                Line(ns, box.LabelRight, b.Top, box.LabelRight, b.Bottom, stroke),
                Line(ns, box.NameRight, middle, b.Right, middle, stroke),
                Text(ns, box.Node.Label, (b.Left + box.NameRight) / 2, DiagramLayout.Baseline(middle, font), "middle", DiagramLayout.FontSize, bold: true),
                Text(ns, "input:", (box.NameRight + box.LabelRight) / 2, DiagramLayout.Baseline(upper, font), "middle", DiagramLayout.FontSize),
                Text(ns, "output:", (box.NameRight + box.LabelRight) / 2, DiagramLayout.Baseline(lower, font), "middle", DiagramLayout.FontSize),
                Text(ns, box.Node.InputShape, (box.LabelRight + b.Right) / 2, DiagramLayout.Baseline(upper, font), "middle", DiagramLayout.FontSize),
                Text(ns, box.Node.OutputShape, (box.LabelRight + b.Right) / 2, DiagramLayout.Baseline(lower, font), "middle", DiagramLayout.FontSize)));
            if (i + 1 < layout.Boxes.Count)
            {
                var arrow = Line(ns, b.MidX, b.Bottom, b.MidX, layout.Boxes[i + 1].Bounds.Top - 1, stroke);
                arrow.Add(new XAttribute("marker-end", $"url(#{ArrowId})"));
                svg.Add(arrow);
            }
        }
        return standalone ? "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n" + svg + "\n" : svg.ToString();
    }

    static XElement Text(XNamespace ns, string text, float x, float y, string anchor, float size, bool bold = false)
    {
        var element = new XElement(ns + "text", new XAttribute("x", N(x)), new XAttribute("y", N(y)), new XAttribute("text-anchor", anchor), text);
        if (size != DiagramLayout.FontSize) element.Add(new XAttribute("font-size", N(size)));
        if (bold) element.Add(new XAttribute("font-weight", "bold"));
        return element;
    }

    static XElement Line(XNamespace ns, float x1, float y1, float x2, float y2, string stroke) => new(ns + "line",
        new XAttribute("x1", N(x1)), new XAttribute("y1", N(y1)), new XAttribute("x2", N(x2)), new XAttribute("y2", N(y2)),
        new XAttribute("stroke", stroke), new XAttribute("stroke-width", "1.5"));

    static string N(float value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    static string Hex(SKColor color) => $"#{color.Red:x2}{color.Green:x2}{color.Blue:x2}";
}
