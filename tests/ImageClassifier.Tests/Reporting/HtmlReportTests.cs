using System.Text.RegularExpressions;
using System.Xml.Linq;
using ImageClassifier.Models;
using ImageClassifier.Reporting;

namespace ImageClassifier.Tests.Reporting;

/// <summary>The HTML report is one self-contained file: every section, pictures inline, text escaped, nothing from the network.</summary>
public partial class HtmlReportTests
{
    [GeneratedRegex("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"")]
    private static partial Regex InlinePng();

    [Fact]
    public void Has_every_section_with_its_pictures_inline()
    {
        string html = SampleReport.Html();
        foreach (string id in new[] { "summary", "data", "model", "training", "metrics", "confusion", "predictions", "top-losses", "gradcam" })
            Assert.Contains($"<section id=\"{id}\">", html);
        foreach (string text in new[] { "<!DOCTYPE html>", "<style>", "Classification report", "macro avg", "weighted avg", "Most confused pairs",
                     "conv2d_2 (Conv2D)", "total parameters", "Each epoch", "2025-01-02 03:04 +00:00", "Ankle boot" })
            Assert.Contains(text, html);

        // Twelve pictures: samples, training curves, metric bars, confusion matrix, predictions, top losses,
        // and Grad-CAM panels of the six worst top losses; each a PNG that decodes.
        var pngs = InlinePng().Matches(html).Select(m => Convert.FromBase64String(m.Groups[1].Value)).ToList();
        Assert.Equal(12, pngs.Count);
        for (int i = 0; i < pngs.Count; i++) PngAssert.Picture(pngs[i], $"report-picture-{i}", minColours: 16);

        // The diagram is inline SVG naming every layer.
        var svg = XElement.Parse(Regex.Match(html, "<svg.*?</svg>", RegexOptions.Singleline).Value);
        var texts = svg.Descendants("text").Select(t => t.Value).ToList();
        foreach (string layer in new[] { "input_layer (InputLayer)", "conv2d (Conv2D)", "flatten (Flatten)", "dense_1 (Dense)" })
            Assert.Contains(layer, texts);
    }

    [Fact]
    public void Refers_to_nothing_outside_the_file()
    {
        string html = SampleReport.Html();
        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("https://", html);
        Assert.DoesNotContain("//", Regex.Replace(html, "data:[^\"]*", "")); // no protocol-relative URLs either
        foreach (Match reference in Regex.Matches(html, "(?:src|href)=\"([^\"]*)\""))
            Assert.True(reference.Groups[1].Value.StartsWith("data:") || reference.Groups[1].Value.StartsWith('#'), reference.Value);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("@import", html);
        Assert.DoesNotContain("url(", Regex.Replace(html, "url\\(#imgclass-diagram-arrow\\)", ""));
    }

    [Fact]
    public void Escapes_every_text()
    {
        var data = ReportData.Colourful(); // a class is named: red <&> "quoted"
        string html = SampleReport.Html(data, samples: 6);
        Assert.Contains("red &lt;&amp;&gt; &quot;quoted&quot;", html);
        Assert.DoesNotContain("red <&>", html);
        Assert.DoesNotContain("\"quoted\"", html);
    }

    [Fact]
    public void Writes_a_file_and_says_when_the_data_does_not_match_the_evaluation()
    {
        using var dir = new TestSupport.TempDirectory();
        var data = ReportData.Images(50);
        using var model = Classifier.Create("tutorial-cnn", data.Shape, data.ClassNames);
        var input = new ReportInput { Model = model, Evaluated = data, Result = ImageClassifier.Evaluation.Evaluator.Evaluate(model, data) };
        string path = HtmlReport.Write(dir.File("sub/report.html"), input);
        string html = File.ReadAllText(path);
        Assert.Contains("No training history was found", html);
        Assert.Throws<ArgumentException>(() => HtmlReport.Render(input with { Evaluated = data.Take(10) }));
    }
}
