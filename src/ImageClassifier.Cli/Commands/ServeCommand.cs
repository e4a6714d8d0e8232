using System.CommandLine;
using ImageClassifier.Cli.Infrastructure;
using ImageClassifier.Serialization;
using ImageClassifier.Serving;

namespace ImageClassifier.Cli.Commands;

/// <summary>imgclass serve: an HTTP prediction server for a model (see ImageClassifier.Serving), until SIGTERM or Ctrl+C.</summary>
public static class ServeCommand
{
    /// <summary>The options that shape a server, shared with `imgclass bench serve`.</summary>
    public sealed class ServerOptionSet
    {
        public readonly Option<int> MaxBatch = new("--max-batch") { Description = "The most images in one forward pass (1: no micro-batching).", DefaultValueFactory = _ => new ServerOptions().MaxBatch };
        public readonly Option<double> MaxWaitMs = new("--max-wait-ms") { Description = "How long a batch waits for more requests, in milliseconds.", DefaultValueFactory = _ => new ServerOptions().MaxWait.TotalMilliseconds };
        public readonly Option<double> MaxRequestMb = new("--max-request-mb") { Description = "The largest request body, in MiB (larger: 413).", DefaultValueFactory = _ => new ServerOptions().MaxRequestBytes / 1048576.0 };
        public readonly Option<int> MaxImageSide = new("--max-image-side") { Description = "The largest image width or height, read from the header before decoding (larger: 422).", DefaultValueFactory = _ => new ServerOptions().MaxImageSide };
        public readonly Option<int> MaxImages = new("--max-images") { Description = "The most images in one request.", DefaultValueFactory = _ => new ServerOptions().MaxImagesPerRequest };
        public readonly Option<int> Top = new("--top", "-k") { Description = "Classes per image when a request does not say (?top=k).", DefaultValueFactory = _ => new ServerOptions().DefaultTopK };

        public void AddTo(Command command)
        {
            foreach (var option in new Option[] { MaxBatch, MaxWaitMs, MaxRequestMb, MaxImageSide, MaxImages, Top }) command.Options.Add(option);
        }

        public ServerOptions Read(ParseResult parse, string urls) => new()
        {
            Urls = urls,
            MaxBatch = parse.GetValue(MaxBatch),
            MaxWait = TimeSpan.FromMilliseconds(parse.GetValue(MaxWaitMs)),
            MaxRequestBytes = (long)(parse.GetValue(MaxRequestMb) * 1048576),
            MaxImageSide = parse.GetValue(MaxImageSide),
            MaxImagesPerRequest = parse.GetValue(MaxImages),
            DefaultTopK = parse.GetValue(Top),
        };
    }

    public static Command Create()
    {
        var modelPath = new Argument<string>("model") { Description = "The model file (or the training output folder holding model.imgclass)." };
        var urls = new Option<string>("--urls") { Description = "Where to listen, e.g. http://127.0.0.1:5000 (';' between several; port 0 picks a free one).", DefaultValueFactory = _ => new ServerOptions().Urls };
        var shutdown = new Option<double>("--shutdown-timeout") { Description = "On SIGTERM, seconds that accepted requests get to finish.", DefaultValueFactory = _ => 30 };
        var logFormat = new Option<string>("--log-format") { Description = "Request logs as text or json (one object a line).", DefaultValueFactory = _ => "text" };
        logFormat.AcceptOnlyFromAmong("text", "json");
        var server = new ServerOptionSet();
        var runtime = new RuntimeOptions();

        var command = new Command("serve", "Serve a model over HTTP: POST /predict, POST /explain (Grad-CAM PNG), GET /health, OpenAPI at /openapi/v1.json, and a page at /.")
            { modelPath, urls, shutdown, logFormat };
        server.AddTo(command);
        runtime.AddTo(command, seed: false);
        command.SetRun((parse, terminal) =>
        {
            var options = server.Read(parse, parse.GetValue(urls)!) with
            {
                ShutdownTimeout = TimeSpan.FromSeconds(parse.GetValue(shutdown)),
                JsonLogs = parse.GetValue(logFormat) == "json",
            };
            options.Validate(); // before the model loads: a wrong option should not cost a model load
            var device = runtime.Apply(parse);
            string path = parse.GetValue(modelPath)!;
            using var model = ModelFile.Load(path).To(device);
            var app = PredictionServer.Create(model, path, options);
            try
            {
                app.StartAsync().GetAwaiter().GetResult();
            }
            catch (IOException e)
            {
                throw new IOException($"cannot listen on {options.Urls}: {e.InnerException?.Message ?? e.Message}", e);
            }
            terminal.Error.WriteLine($"Serving {model.Spec.Architecture} ({model.ClassNames.Count} classes) from {path} on {string.Join(", ", app.Urls)}; " +
                $"micro-batching up to {options.MaxBatch} images, waiting {options.MaxWait.TotalMilliseconds} ms. SIGTERM or Ctrl+C stops it.");
            app.WaitForShutdownAsync().GetAwaiter().GetResult();
            app.DisposeAsync().AsTask().GetAwaiter().GetResult();
            var (requests, images, batches, _) = app.Counts;
            terminal.Error.WriteLine($"Stopped after answering {requests} prediction requests ({images} images in {batches} forward passes).");
            return 0;
        });
        return command;
    }
}
