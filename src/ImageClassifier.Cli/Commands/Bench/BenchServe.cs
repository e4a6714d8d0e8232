using System.CommandLine;
using ImageClassifier.Cli.Infrastructure;
using ImageClassifier.Data;
using ImageClassifier.Imaging;
using ImageClassifier.Serialization;
using ImageClassifier.Serving;
using ImageClassifier.Serving.Load;
using Spectre.Console;

namespace ImageClassifier.Cli.Commands.Bench;

/// <summary>
/// imgclass bench serve: a bounded load test of the prediction server over loopback HTTP: --requests POSTs of
/// single images to /predict at --concurrency, reporting throughput and p50/p99 latency. By default it starts the
/// server in this process twice, without micro-batching (--max-batch 1) and with it, on a free port each time;
/// with --url it measures a server that is already running (any process, any host) once.
/// </summary>
public static class BenchServe
{
    public static Command Create()
    {
        var modelPath = new Argument<string>("model") { Description = "The model file to serve (its input shape also sizes the generated images)." };
        var url = new Option<string?>("--url") { Description = "Measure this running server (e.g. http://127.0.0.1:5000) instead of starting one." };
        var images = new Option<string[]>("--images") { Description = "Image files or folders to send (default: 64 generated noise images at the model's input size).", AllowMultipleArgumentsPerToken = true };
        var requests = new Option<int>("--requests", "-n") { Description = "Requests per run.", DefaultValueFactory = _ => 2000 };
        var concurrency = new Option<int>("--concurrency", "-c") { Description = "Requests in flight at once.", DefaultValueFactory = _ => 16 };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON." };
        var server = new ServeCommand.ServerOptionSet();
        var threads = new RuntimeOptions().Threads;

        var command = new Command("serve", "Load-test the prediction server: throughput and p50/p99 latency with and without micro-batching.")
            { modelPath, url, images, requests, concurrency, json, threads };
        server.AddTo(command);
        command.SetRun((parse, terminal) =>
        {
            int n = parse.GetValue(requests), c = parse.GetValue(concurrency);
            if (n < 1 || c < 1) throw new ArgumentException("--requests and --concurrency must be at least 1.");
            Engine.TorchRuntime.Configure(parse.GetValue(threads));
            string path = parse.GetValue(modelPath)!;
            using var model = ModelFile.Load(path);
            var payload = Payload(parse.GetValue(images), model.InputShape);

            var runs = new List<(string Mode, LoadReport Report, double? MeanBatch)>();
            if (parse.GetValue(url) is string target)
                runs.Add(("external server", Measure(new Uri(target.TrimEnd('/') + "/"), payload, n, c), null));
            else
            {
                var options = server.Read(parse, "http://127.0.0.1:0");
                foreach (var (mode, maxBatch) in new[] { ("no micro-batching", 1), ($"micro-batching (max {options.MaxBatch}, wait {options.MaxWait.TotalMilliseconds} ms)", options.MaxBatch) })
                {
                    var app = PredictionServer.Create(model, path, options with { MaxBatch = maxBatch }, logs: NoLogs.Instance);
                    try
                    {
                        app.StartAsync().GetAwaiter().GetResult();
                        var report = Measure(new Uri(app.Urls[0].TrimEnd('/') + "/"), payload, n, c);
                        var (_, served, batches, _) = app.Counts;
                        runs.Add((mode, report, Math.Round((double)served / Math.Max(1, batches), 2)));
                    }
                    finally { app.DisposeAsync().AsTask().GetAwaiter().GetResult(); }
                }
            }

            if (parse.GetValue(json))
                terminal.WriteJson(runs.Select(r => new
                {
                    mode = r.Mode, requests = r.Report.Requests, concurrency = r.Report.Concurrency, errors = r.Report.Failed,
                    requests_per_second = Math.Round(r.Report.RequestsPerSecond, 1), p50_ms = Math.Round(r.Report.P50Ms, 2),
                    p99_ms = Math.Round(r.Report.P99Ms, 2), max_ms = Math.Round(r.Report.MaxMs, 2), mean_batch = r.MeanBatch, first_errors = r.Report.FirstErrors,
                }));
            else
            {
                var table = new Table().AddColumns("Mode", "Requests", "Concurrency", "Errors", "Requests/s", "p50 ms", "p99 ms", "max ms", "Images/pass");
                foreach (var (mode, r, mean) in runs)
                    table.AddRow(Markup.Escape(mode), $"{r.Requests}", $"{r.Concurrency}", $"{r.Failed}", $"{r.RequestsPerSecond:0.0}", $"{r.P50Ms:0.0}", $"{r.P99Ms:0.0}", $"{r.MaxMs:0.0}", mean is null ? "-" : $"{mean:0.00}");
                terminal.Render(table);
                foreach (var (mode, r, _) in runs)
                    foreach (string error in r.FirstErrors) terminal.Error.WriteLine($"{mode}: {error}");
            }
            return runs.Any(r => r.Report.Failed > 0) ? CommandRunner.Failure : 0;
        });
        return command;
    }

    static LoadReport Measure(Uri server, IReadOnlyList<byte[]> payload, int requests, int concurrency)
    {
        LoadGenerator.RunAsync(server, payload, Math.Min(requests, 4 * concurrency), concurrency).GetAwaiter().GetResult(); // warm-up, not counted
        return LoadGenerator.RunAsync(server, payload, requests, concurrency).GetAwaiter().GetResult();
    }

    // Real encoded files as a client would send them, or PNGs of noise (fixed seed): the model's cost is the same either way.
    static IReadOnlyList<byte[]> Payload(string[]? paths, ImageShape shape)
    {
        if (paths is { Length: > 0 })
        {
            var files = ImageFileInputs.Expand(paths).Where(f => ImageFormats.DetectFile(f) is not null).Take(256).Select(File.ReadAllBytes).ToArray();
            return files.Length > 0 ? files : throw new ArgumentException("--images: none of those files is an image.");
        }
        var random = new Random(1);
        return Enumerable.Range(0, 64).Select(_ =>
        {
            var pixels = new byte[shape.Size];
            random.NextBytes(pixels);
            return ImageEncoder.EncodePng(pixels, shape);
        }).ToArray();
    }

    /// <summary>The benchmark prints its own table: the servers it starts log nothing.</summary>
    sealed class NoLogs : Microsoft.Extensions.Logging.ILoggerProvider
    {
        public static readonly NoLogs Instance = new();
        public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        public void Dispose() { }
    }
}
