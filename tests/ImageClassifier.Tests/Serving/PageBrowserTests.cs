using ImageClassifier.Tests.Reporting;
using Microsoft.Playwright;
using SkiaSharp;

namespace ImageClassifier.Tests.Serving;

/// <summary>The server's page in Debian's headless Chromium (Playwright, no browser download): pick an image, read the prediction, see the Grad-CAM overlay.</summary>
public class PageBrowserTests(ServingFixture server) : IClassFixture<ServingFixture>
{
    const float TimeoutMs = 60_000;

    [Fact]
    public async Task Uploading_an_image_on_the_page_shows_the_predicted_class_bars_and_the_overlay()
    {
        using var expected = await server.Client.PostAsync("predict", new ByteArrayContent(File.ReadAllBytes(server.Images[0])));
        string best = System.Text.Json.JsonDocument.Parse(await expected.Content.ReadAsStringAsync())
            .RootElement.GetProperty("predictions")[0].GetProperty("predicted").GetString()!;

        await WithPage(async (page, errors, requests) =>
        {
            await page.SetInputFilesAsync("#file", server.Images[0]);
            await WaitForState(page, "done", errors);

            Assert.Equal(best, await page.InnerTextAsync("#predicted"));
            Assert.Equal(5, await page.Locator("#bars li").CountAsync());
            Assert.Contains("%", await page.InnerTextAsync("#bars"));
            Assert.Equal(224, await page.EvaluateAsync<int>("document.getElementById('overlay').naturalWidth"));
            Assert.Contains("tutorial-cnn", await page.InnerTextAsync("#model"));

            // The screenshot shows the overlay in the heatmap's colours beside the gray image it explains.
            using var overlay = SKBitmap.Decode(await page.Locator("#overlay").ScreenshotAsync());
            using var preview = SKBitmap.Decode(await page.Locator("#preview").ScreenshotAsync());
            double overlayColour = ServerHttpTests.Colourful(overlay), previewColour = ServerHttpTests.Colourful(preview);
            Assert.True(overlayColour > 0.2, $"only {overlayColour:P1} of the overlay's screenshot is coloured");
            Assert.True(previewColour < 0.01, $"{previewColour:P1} of the gray image's screenshot is coloured");
            var shot = await page.ScreenshotAsync(new PageScreenshotOptions { FullPage = true });
            Assert.True(ServerHttpTests.Colourful(SKBitmap.Decode(shot)) > 0.01);

            Assert.Empty(errors);
            Assert.All(requests, url => Assert.True(url.StartsWith(server.BaseAddress.ToString()) || url.StartsWith("blob:"), $"the page fetched {url}"));
        });
    }

    [Fact]
    public async Task A_file_that_is_not_an_image_shows_the_servers_message()
    {
        string text = Path.Combine(server.ImageFolder, "notes.png");
        File.WriteAllText(text, "these are notes, not a picture");
        await WithPage(async (page, _, _) =>
        {
            await page.SetInputFilesAsync("#file", text);
            await WaitForState(page, "error", []);
            string error = await page.InnerTextAsync("#error");
            Assert.Contains("Not an image", error);
            Assert.Contains("'body' is not an image", error);
        });
    }

    async Task WithPage(Func<IPage, List<string>, List<string>, Task> test)
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.Launch(playwright, TimeoutMs);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 900, Height = 900 } });
        page.SetDefaultTimeout(TimeoutMs);
        var errors = new List<string>();
        var requests = new List<string>();
        page.PageError += (_, error) => { lock (errors) errors.Add($"page error: {error}"); };
        page.Console += (_, message) => { if (message.Type == "error") lock (errors) errors.Add($"console: {message.Text}"); };
        page.Request += (_, request) => { lock (requests) requests.Add(request.Url); };
        var response = await page.GotoAsync(server.BaseAddress.ToString(), new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
        Assert.True(response?.Ok, $"GET / answered {response?.Status}");
        await test(page, errors, requests);
    }

    static async Task WaitForState(IPage page, string state, List<string> errors)
    {
        try { await page.WaitForFunctionAsync("() => document.body.dataset.state"); }
        catch (TimeoutException)
        {
            Assert.Fail($"the page never finished: status '{await page.InnerTextAsync("#status")}', errors: {string.Join("; ", errors)}");
        }
        string? reached = await page.GetAttributeAsync("body", "data-state");
        if (reached != state)
            Assert.Fail($"the page ended in state '{reached}', not '{state}': {await page.InnerTextAsync("#error")}");
    }
}
