using System.Xml.Linq;
using ImageClassifier.Tests.Reporting;
using ImageClassifier.Tests.TestSupport;

namespace ImageClassifier.Tests.Cli;

/// <summary>imgclass summary --diagram writes the architecture as SVG, PNG, or both into a folder.</summary>
public class SummaryDiagramCommandTests
{
    [Fact]
    public void Writes_svg_or_png_by_extension()
    {
        using var dir = new TempDirectory();
        var svg = CliRunner.Run("summary", "tutorial-cnn", "--diagram", dir.File("cnn.svg"));
        Assert.True(svg.ExitCode == 0, svg.Error);
        Assert.Contains("Total params", svg.Out);
        Assert.Contains($"Wrote diagram: {dir.File("cnn.svg")}", svg.Out);
        var texts = XDocument.Load(dir.File("cnn.svg")).Descendants().Where(e => e.Name.LocalName == "text").Select(t => t.Value).ToList();
        foreach (string layer in new[] { "input_layer (InputLayer)", "conv2d (Conv2D)", "max_pooling2d_1 (MaxPooling2D)", "flatten (Flatten)", "dense_1 (Dense)" })
            Assert.Contains(layer, texts);
        Assert.Contains("(None, 10)", texts);

        var png = CliRunner.Run("summary", "tutorial-cnn", "--input-shape", "32x32x3", "--classes", "4", "--diagram", dir.File("cnn.png"), "--json");
        Assert.True(png.ExitCode == 0, png.Error);
        Assert.StartsWith("{", png.Out.TrimStart()); // --json keeps stdout for the JSON
        Assert.Contains("Wrote diagram", png.Error);
        PngAssert.Picture(File.ReadAllBytes(dir.File("cnn.png")), "summary-diagram", minColours: 16, minInk: 0.1);
    }

    [Fact]
    public void A_folder_gets_both()
    {
        using var dir = new TempDirectory();
        var result = CliRunner.Run("summary", "tutorial-cnn", "--diagram", dir.File("diagram"));
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.True(File.Exists(dir.File("diagram/model.svg")));
        PngAssert.Picture(File.ReadAllBytes(dir.File("diagram/model.png")), "summary-diagram-folder", minColours: 16, minInk: 0.1);
    }
}

/// <summary>imgclass report explains itself, as every command does.</summary>
public class ReportCommandHelpTests
{
    [Fact]
    public void Report_has_help()
    {
        var result = CliRunner.Run("report", "--help");
        Assert.Equal(0, result.ExitCode);
        foreach (string option in new[] { "--data", "--output", "--samples", "--split" }) Assert.Contains(option, result.Out);
        Assert.Contains("--no-report", CliRunner.Run("train", "--help").Out);
        Assert.Contains("--diagram", CliRunner.Run("summary", "--help").Out);
    }
}
