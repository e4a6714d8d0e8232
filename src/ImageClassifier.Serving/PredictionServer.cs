using System.Text.Json;
using ImageClassifier.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ImageClassifier.Serving;

/// <summary>
/// The prediction server: Kestrel with a minimal API (PredictionEndpoints, PageEndpoints, OpenAPI at
/// /openapi/v1.json), the micro-batcher in front of the model, request limits and request logging. On
/// SIGTERM or Ctrl+C the host stops taking connections, lets the requests it has accepted finish (up to
/// <see cref="ServerOptions.ShutdownTimeout"/>), and only then is the batcher stopped.
/// </summary>
public sealed class PredictionServer : IAsyncDisposable
{
    readonly WebApplication app;
    readonly MicroBatcher batcher;

    PredictionServer(WebApplication app, MicroBatcher batcher)
    {
        this.app = app;
        this.batcher = batcher;
    }

    /// <summary>Builds (does not start) a server for <paramref name="model"/>, which the caller keeps and disposes after the server.</summary>
    public static PredictionServer Create(Classifier model, string source, ServerOptions options, ILoggerProvider? logs = null)
    {
        options.Validate();
        var served = new ServedModel(model, source);
        var batcher = new MicroBatcher(served.Predict, options.MaxBatch, options.MaxWait, options.MaxQueuedRequests);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ApplicationName = "imgclass-serve" });
        builder.WebHost.UseUrls(options.Urls);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBytes;
        });
        builder.Services.Configure<FormOptions>(form =>
        {
            form.MultipartBodyLengthLimit = options.MaxRequestBytes;
            form.ValueCountLimit = options.MaxImagesPerRequest + 16;
        });
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = options.ShutdownTimeout);
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
        builder.Services.AddSingleton(served);
        builder.Services.AddSingleton(batcher); // an instance: the server disposes it after the host has drained
        builder.Services.AddSingleton(options);
        ConfigureLogging(builder.Logging, options, logs);

        var app = builder.Build();
        app.UseRequestLogging(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ImageClassifier.Serving.Requests"));
        app.UseExceptionHandler(); // an unexpected error answers 500 problem JSON without a stack trace; the log has it
        app.UseStatusCodePages();  // a wrong route or method answers problem JSON too
        app.MapPrediction();
        app.MapPage();
        app.MapOpenApi();
        return new PredictionServer(app, batcher);
    }

    static void ConfigureLogging(ILoggingBuilder logging, ServerOptions options, ILoggerProvider? logs)
    {
        logging.ClearProviders();
        if (logs is not null) logging.AddProvider(logs);
        else if (options.JsonLogs) logging.AddJsonConsole(json => { json.TimestampFormat = "O"; json.UseUtcTimestamp = true; });
        else logging.AddSimpleConsole(console => { console.SingleLine = true; console.TimestampFormat = "HH:mm:ss "; });
        logging.SetMinimumLevel(LogLevel.Information);
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning); // our own line per request replaces ASP.NET's several
        logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None); // a failed start (port in use) is the caller's one-line error, not a logged stack trace
    }

    /// <summary>The addresses the server listens on, with the real port where port 0 was asked for (after <see cref="StartAsync"/>).</summary>
    public IReadOnlyList<string> Urls =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToArray() ?? [];

    public Task StartAsync(CancellationToken cancel = default) => app.StartAsync(cancel);

    /// <summary>After <see cref="StartAsync"/>: serves until SIGTERM or Ctrl+C, lets accepted requests finish, then stops the batcher.</summary>
    public async Task WaitForShutdownAsync()
    {
        await app.WaitForShutdownAsync();
        await batcher.DisposeAsync();
    }

    /// <summary>Requests answered, images predicted and forward passes run so far, and requests waiting now.</summary>
    public (long Requests, long Images, long Batches, long Waiting) Counts => batcher.Counts;

    /// <summary>Stops as SIGTERM would: no new connections, accepted requests finish.</summary>
    public Task StopAsync() => app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await batcher.DisposeAsync();
        await app.DisposeAsync();
    }
}
