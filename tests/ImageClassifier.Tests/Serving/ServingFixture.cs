using System.Collections.Concurrent;
using ImageClassifier.Imaging;
using ImageClassifier.Serving;
using ImageClassifier.Tests.TestSupport;
using Microsoft.Extensions.Logging;

namespace ImageClassifier.Tests.Serving;

/// <summary>
/// A real prediction server (Kestrel on a free loopback port) for the trained tutorial CNN, with small limits
/// so that the refusals are cheap to provoke, its log lines captured, and Fashion-MNIST test images as PNG files.
/// </summary>
public sealed class ServingFixture : IAsyncLifetime
{
    public static readonly ServerOptions Options = new()
    {
        Urls = "http://127.0.0.1:0",
        MaxBatch = 16,
        MaxWait = TimeSpan.FromMilliseconds(20),
        MaxRequestBytes = 1 << 20,
        MaxImageSide = 1024,
        MaxImagesPerRequest = 8,
    };

    readonly TempDirectory folder = new();
    PredictionServer? server;

    public CapturedLogs Logs { get; } = new();
    public HttpClient Client { get; private set; } = null!;
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Six Fashion-MNIST test images as PNG files, and one colour JPEG of another size (50 x 40) that is resized.</summary>
    public IReadOnlyList<string> Images { get; private set; } = [];
    public string ImageFolder => folder.Path;

    public async Task InitializeAsync()
    {
        var test = FashionMnist.Test;
        var files = new List<string>();
        for (int i = 0; i < 6; i++)
        {
            string path = folder.File($"test-{i}.png");
            ImageEncoder.WritePng(path, test.Image(i), test.Shape);
            files.Add(path);
        }
        var colour = new ImageShape(3, 40, 50);
        var pixels = Enumerable.Range(0, colour.Size).Select(i => (byte)(i * 7 % 251)).ToArray();
        string jpeg = folder.File("colour.jpg");
        File.WriteAllBytes(jpeg, ImageEncoder.EncodeJpeg(pixels, colour));
        files.Add(jpeg);
        Images = files;

        server = PredictionServer.Create(TrainedTutorialCnn.Model, TrainedTutorialCnn.File, Options, Logs);
        await server.StartAsync();
        BaseAddress = new Uri(server.Urls[0].TrimEnd('/') + "/");
        Client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (server is not null) await server.DisposeAsync();
        folder.Dispose();
    }

    /// <summary>The server's log lines, as its request logging wrote them.</summary>
    public sealed class CapturedLogs : ILoggerProvider
    {
        public ConcurrentQueue<(string Category, LogLevel Level, string Message)> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose() { }

        sealed class Logger(CapturedLogs logs, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => true;
            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                logs.Lines.Enqueue((category, logLevel, formatter(state, exception)));
        }
    }
}
