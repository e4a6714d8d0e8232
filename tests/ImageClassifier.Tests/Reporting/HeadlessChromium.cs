using Microsoft.Playwright;

namespace ImageClassifier.Tests.Reporting;

/// <summary>
/// Opens a page in Debian's headless Chromium (the `chromium` package, which ./test.sh installs)
/// through Playwright, never a browser Playwright downloads, and reports what happened.
/// </summary>
public static class HeadlessChromium
{
    public const string Executable = "/usr/bin/chromium";

    public sealed record PageVisit(byte[] Screenshot, IReadOnlyList<string> Errors, IReadOnlyList<string> Requests, int Images, int BrokenImages, int DiagramLayers);

    /// <summary>Loads <paramref name="file"/>, waits for it, and takes a screenshot of the window; gives up after <paramref name="timeout"/>.</summary>
    public static Task<PageVisit> Visit(string file, int width, int height, TimeSpan timeout)
    {
        if (!File.Exists(Executable))
            throw new InvalidOperationException($"{Executable} is missing: run `sudo apt-get install chromium` (./test.sh does).");
        return VisitAsync(file, width, height, (float)timeout.TotalMilliseconds).WaitAsync(timeout + TimeSpan.FromSeconds(15));
    }

    /// <summary>Starts Debian's Chromium headless through <paramref name="playwright"/> (also for pages served over loopback).</summary>
    public static Task<IBrowser> Launch(IPlaywright playwright, float timeoutMs)
    {
        if (!File.Exists(Executable))
            throw new InvalidOperationException($"{Executable} is missing: run `sudo apt-get install chromium` (./test.sh does).");
        return playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Executable,
            Headless = true,
            Timeout = timeoutMs,
            // Root in a container has no user namespaces for the sandbox; the rest keeps Chromium off the network.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    static async Task<PageVisit> VisitAsync(string file, int width, int height, float timeoutMs)
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Launch(playwright, timeoutMs);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        page.SetDefaultTimeout(timeoutMs);
        var errors = new List<string>();
        var requests = new List<string>();
        page.Console += (_, message) => { if (message.Type is "error" or "warning") lock (errors) errors.Add($"console {message.Type}: {message.Text}"); };
        page.PageError += (_, error) => { lock (errors) errors.Add($"page error: {error}"); };
        page.RequestFailed += (_, request) => { lock (errors) errors.Add($"request failed: {request.Url} ({request.Failure})"); };
        page.Request += (_, request) => { lock (requests) requests.Add(request.Url); };

        var response = await page.GotoAsync(new Uri(Path.GetFullPath(file)).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        if (response is { Ok: false }) errors.Add($"loading the page: HTTP {response.Status}");
        int images = await page.EvaluateAsync<int>("document.images.length");
        int broken = await page.EvaluateAsync<int>("Array.from(document.images).filter(i => !i.complete || i.naturalWidth === 0).length");
        int layers = await page.EvaluateAsync<int>("document.querySelectorAll('.diagram svg g.layer').length");
        byte[] screenshot = await page.ScreenshotAsync(new PageScreenshotOptions { Type = ScreenshotType.Png });
        return new PageVisit(screenshot, errors, requests, images, broken, layers);
    }
}
