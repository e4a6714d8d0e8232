using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ImageClassifier.Tests.TestSupport;
using SkiaSharp;

namespace ImageClassifier.Tests.Serving;

/// <summary>The prediction server over real HTTP on loopback: the same answers as `imgclass predict`, Grad-CAM, health, OpenAPI, and clear 4xx refusals after which it stays healthy.</summary>
public class ServerHttpTests(ServingFixture server) : IClassFixture<ServingFixture>
{
    static ByteArrayContent Raw(byte[] data, string contentType = "application/octet-stream")
    {
        var content = new ByteArrayContent(data);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return content;
    }

    static MultipartFormDataContent Form(IEnumerable<(string Name, byte[] Data)> files)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, data) in files) form.Add(Raw(data, "image/png"), "images", name);
        return form;
    }

    static async Task<JsonElement> Json(HttpResponseMessage response)
    {
        string body = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    [Fact]
    public async Task Predictions_equal_imgclass_predict()
    {
        var cli = CliRunner.Run("predict", TrainedTutorialCnn.File, server.ImageFolder, "--format", "json", "--top", "5");
        Assert.True(cli.ExitCode == 0, cli.Error);
        var expected = JsonDocument.Parse(cli.Out).RootElement.EnumerateArray()
            .ToDictionary(p => Path.GetFileName(p.GetProperty("source").GetString()!), p => p);
        Assert.Equal(server.Images.Count, expected.Count);

        // One request per image (raw bytes, the content type left to the server to sniff), then all of them in one multipart request.
        var single = new List<JsonElement>();
        foreach (string file in server.Images)
        {
            using var response = await server.Client.PostAsync("predict?top=5", Raw(File.ReadAllBytes(file), "application/x-www-form-urlencoded"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            single.Add((await Json(response)).GetProperty("predictions")[0]);
        }
        using var many = await server.Client.PostAsync("predict?top=5", Form(server.Images.Select(f => (Path.GetFileName(f), File.ReadAllBytes(f)))));
        Assert.Equal(HttpStatusCode.OK, many.StatusCode);
        var together = (await Json(many)).GetProperty("predictions").EnumerateArray().ToList();
        Assert.Equal(server.Images.Count, together.Count);

        for (int i = 0; i < server.Images.Count; i++)
        {
            var want = expected[Path.GetFileName(server.Images[i])];
            Assert.Equal(Path.GetFileName(server.Images[i]), together[i].GetProperty("source").GetString());
            foreach (var got in new[] { single[i], together[i] })
            {
                Assert.Equal(want.GetProperty("predicted").GetString(), got.GetProperty("predicted").GetString());
                Assert.Equal(Note(want), Note(got));
                var wantTop = want.GetProperty("top").EnumerateArray().ToList();
                var gotTop = got.GetProperty("top").EnumerateArray().ToList();
                Assert.Equal(5, gotTop.Count);
                for (int k = 0; k < 5; k++)
                {
                    Assert.Equal(wantTop[k].GetProperty("class").GetString(), gotTop[k].GetProperty("class").GetString());
                    // The server batches differently from predict: float32 sums in another order differ in the last bits.
                    Assert.Equal(wantTop[k].GetProperty("probability").GetDouble(), gotTop[k].GetProperty("probability").GetDouble(), 1e-5);
                }
            }
        }
        Assert.Contains("resized from 50x40 to 28x28", together[^1].GetProperty("note").GetString());
    }

    static string? Note(JsonElement prediction) =>
        prediction.TryGetProperty("note", out var note) && note.ValueKind == JsonValueKind.String ? note.GetString() : null;

    public static TheoryData<string, int, string> Refusals => new()
    {
        { "oversized", 413, "larger than this server accepts (1 MiB, --max-request-mb)" },
        { "oversized-multipart", 413, "larger than this server accepts (1 MiB, --max-request-mb)" },
        { "text", 415, "'body' is not an image: its content starts with 7B 22" },
        { "html-named-png", 415, "'page.png' is not an image" },
        { "truncated", 422, "corrupt or truncated PNG" },
        { "huge-header", 422, "its PNG header declares 50000 x 50000 pixels; this server decodes images of at most 1024 x 1024" },
        { "empty", 400, "the request has no body" },
        { "no-files", 400, "has no file parts" },
        { "too-many", 413, "9 images in one request; this server takes at most 8" },
        { "bad-top", 400, "top must be a whole number of at least 1, not '0'" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Bad_requests_get_a_clear_4xx_and_the_server_stays_healthy(string kind, int status, string message)
    {
        byte[] png = File.ReadAllBytes(server.Images[0]);
        HttpContent content = kind switch
        {
            "oversized" => Raw(new byte[(1 << 20) + 1]),
            "oversized-multipart" => Form([("big.png", [.. png, .. new byte[1 << 20]])]),
            "text" => Raw("{\"not\": \"an image\"}"u8.ToArray(), "image/png"),
            "html-named-png" => Form([("page.png", "<!DOCTYPE html><html></html>"u8.ToArray())]),
            "truncated" => Raw(png[..(png.Length * 2 / 3)], "image/png"),
            "huge-header" => Raw(TestImages.PngClaiming(50_000, 50_000), "image/png"),
            "empty" => Raw([]),
            "no-files" => new MultipartFormDataContent { { new StringContent("hello"), "field" } },
            "too-many" => Form(Enumerable.Range(0, 9).Select(i => ($"{i}.png", png))),
            "bad-top" => Raw(png),
            _ => throw new ArgumentException(kind),
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, kind == "bad-top" ? "predict?top=0" : "predict") { Content = content };
        // As curl does for bodies over 1 MiB: the server can refuse by the headers before the body is sent. Without it a
        // client still writing when the server answers 413 and closes may see a broken pipe instead of the answer.
        request.Headers.ExpectContinue = kind.StartsWith("oversized");
        using var response = await server.Client.SendAsync(request);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await Json(response);
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.Contains(message, problem.GetProperty("detail").GetString());
        Assert.DoesNotContain("   at ", problem.ToString()); // no stack trace

        // Still healthy, and still predicting.
        using var health = await server.Client.GetAsync("health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using var again = await server.Client.PostAsync("predict", Raw(png));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        // The refusal was logged as one structured line with its reason.
        Assert.Contains(server.Logs.Lines, l => l.Message.StartsWith($"POST /predict answered {status} in ") && l.Message.Contains(message));
    }

    [Fact]
    public async Task Explain_returns_the_grad_cam_overlay_as_png()
    {
        byte[] png = File.ReadAllBytes(server.Images[0]);
        using var predicted = await server.Client.PostAsync("predict", Raw(png));
        string best = (await Json(predicted)).GetProperty("predictions")[0].GetProperty("predicted").GetString()!;

        using var response = await server.Client.PostAsync("explain", Raw(png));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(best, Uri.UnescapeDataString(response.Headers.GetValues("X-Predicted-Class").Single()));
        using var overlay = SKBitmap.Decode(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal((224, 224), (overlay.Width, overlay.Height)); // a 28x28 image drawn at the panel's tile size
        // The input is gray: any strongly coloured pixel is the jet heatmap blended in.
        Assert.True(Colourful(overlay) > 0.2, $"only {Colourful(overlay):P1} of the overlay is coloured");

        using var panel = await server.Client.PostAsync("explain?view=panel&class=Trouser&method=gradcam%2B%2B", Raw(png));
        Assert.Equal(HttpStatusCode.OK, panel.StatusCode);
        Assert.Equal("Trouser", Uri.UnescapeDataString(panel.Headers.GetValues("X-Explained-Class").Single()));
        using var panelBitmap = SKBitmap.Decode(await panel.Content.ReadAsByteArrayAsync());
        Assert.True(panelBitmap.Width > 3 * 224, $"the panel is {panelBitmap.Width} wide");

        using var badClass = await server.Client.PostAsync("explain?class=Giraffe", Raw(png));
        Assert.Equal(HttpStatusCode.BadRequest, badClass.StatusCode);
        Assert.Contains("no class 'Giraffe'", (await Json(badClass)).GetProperty("detail").GetString());
        using var two = await server.Client.PostAsync("explain", Form([("a.png", png), ("b.png", png)]));
        Assert.Equal(HttpStatusCode.BadRequest, two.StatusCode);
        Assert.Contains("/explain takes one image, not 2", (await Json(two)).GetProperty("detail").GetString());
    }

    /// <summary>The share of pixels whose channels differ by more than 100: none in a gray picture, many in a jet overlay.</summary>
    public static double Colourful(SKBitmap bitmap) =>
        Reporting.PngAssert.CountWhere(bitmap, c => Math.Max(c.Red, Math.Max(c.Green, c.Blue)) - Math.Min(c.Red, Math.Min(c.Green, c.Blue)) > 100)
        / (double)(bitmap.Width * bitmap.Height);

    [Fact]
    public async Task Health_openapi_page_and_unknown_routes_answer()
    {
        var health = await Json(await server.Client.GetAsync("health"));
        Assert.Equal("ok", health.GetProperty("status").GetString());
        Assert.Equal("tutorial-cnn", health.GetProperty("model").GetString());
        Assert.Equal(10, health.GetProperty("classes").GetArrayLength());
        Assert.Equal(28, health.GetProperty("input").GetProperty("height").GetInt32());
        Assert.Equal(16, health.GetProperty("batching").GetProperty("max_batch").GetInt32());

        var openApi = await Json(await server.Client.GetAsync("openapi/v1.json"));
        Assert.StartsWith("3.", openApi.GetProperty("openapi").GetString());
        var paths = openApi.GetProperty("paths");
        foreach (string path in new[] { "/predict", "/explain", "/health" }) Assert.True(paths.TryGetProperty(path, out _), $"OpenAPI lacks {path}");
        var body = paths.GetProperty("/predict").GetProperty("post").GetProperty("requestBody").GetProperty("content");
        Assert.True(body.TryGetProperty("multipart/form-data", out _));
        Assert.True(body.TryGetProperty("image/png", out _));
        Assert.True(paths.GetProperty("/predict").GetProperty("post").GetProperty("responses").TryGetProperty("413", out _));

        using var page = await server.Client.GetAsync("");
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        string html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<script src=\"page.js\"></script>", html);
        Assert.DoesNotContain("https://", html); // nothing from a CDN
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("page.js")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("page.css")).StatusCode);

        using var missing = await server.Client.GetAsync("nowhere");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using var wrongMethod = await server.Client.GetAsync("predict");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
    }

    [Fact]
    public async Task Concurrent_requests_share_forward_passes_and_get_their_own_answers()
    {
        var files = server.Images.Take(6).ToArray();
        var alone = new Dictionary<string, string>();
        foreach (string file in files)
            alone[file] = (await Json(await server.Client.PostAsync("predict", Raw(File.ReadAllBytes(file)))))
                .GetProperty("predictions")[0].GetProperty("predicted").GetString()!;
        var before = (await Json(await server.Client.GetAsync("health"))).GetProperty("batching");

        var answers = await Task.WhenAll(Enumerable.Range(0, 48).Select(async i =>
        {
            string file = files[i % files.Length];
            using var response = await server.Client.PostAsync("predict?top=2", Raw(File.ReadAllBytes(file)));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var prediction = (await Json(response)).GetProperty("predictions")[0];
            Assert.Equal(2, prediction.GetProperty("top").GetArrayLength());
            return (File: file, Predicted: prediction.GetProperty("predicted").GetString());
        }));

        Assert.All(answers, a => Assert.Equal(alone[a.File], a.Predicted));
        var after = (await Json(await server.Client.GetAsync("health"))).GetProperty("batching");
        long requests = after.GetProperty("requests").GetInt64() - before.GetProperty("requests").GetInt64();
        long batches = after.GetProperty("batches").GetInt64() - before.GetProperty("batches").GetInt64();
        Assert.Equal(48, requests);
        Assert.True(batches < requests, $"48 concurrent requests ran in {batches} forward passes: nothing was batched");
    }
}
