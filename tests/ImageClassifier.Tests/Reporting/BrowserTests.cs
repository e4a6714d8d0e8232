using ImageClassifier.Tests.TestSupport;

namespace ImageClassifier.Tests.Reporting;

/// <summary>The report opens in headless Chromium without errors, fetches nothing, and renders: a screenshot shows it.</summary>
public class BrowserTests
{
    const int Width = 1280, Height = 2000;

    [Fact]
    public async Task Report_renders_in_chromium_without_errors()
    {
        using var dir = new TempDirectory();
        string path = dir.File("report.html");
        File.WriteAllText(path, SampleReport.Html());

        var visit = await HeadlessChromium.Visit(path, Width, Height, TimeSpan.FromSeconds(90));

        Assert.Empty(visit.Errors);
        // Only the file itself and its inline data: pictures; nothing from the network.
        Assert.All(visit.Requests, url => Assert.True(url.StartsWith("file://") || url.StartsWith("data:"), url));
        Assert.Equal(12, visit.Images); // six pictures and six Grad-CAM panels
        Assert.Equal(0, visit.BrokenImages);
        Assert.Equal(10, visit.DiagramLayers); // the input and tutorial-cnn's nine layers

        var shot = PngAssert.Picture(visit.Screenshot, "report-screenshot", Width, Height, minColours: 200, minInk: 0.1);
        // The inline stylesheet applied: the header bar is dark.
        var header = shot.Bitmap.GetPixel(8, 8);
        Assert.True(header.Red < 60 && header.Green < 60 && header.Blue < 70, $"the header is {header}, not the stylesheet's dark grey");
    }
}
