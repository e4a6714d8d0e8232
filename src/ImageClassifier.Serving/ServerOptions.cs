namespace ImageClassifier.Serving;

/// <summary>
/// How the prediction server listens, batches and limits what it accepts. The defaults suit a small
/// model on a laptop; every one is an `imgclass serve` option.
/// </summary>
public sealed record ServerOptions
{
    /// <summary>Where to listen, e.g. "http://127.0.0.1:5000" (several separated by ';'); port 0 picks a free one.</summary>
    public string Urls { get; init; } = "http://127.0.0.1:5000";

    /// <summary>The most images in one forward pass. 1 turns micro-batching off (each request runs alone).</summary>
    public int MaxBatch { get; init; } = 32;

    /// <summary>How long the first request of a batch waits for others to join it.</summary>
    public TimeSpan MaxWait { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>The largest request body accepted, in bytes; larger ones get 413.</summary>
    public long MaxRequestBytes { get; init; } = 16 << 20;

    /// <summary>The largest image width or height accepted, read from the header before decoding; larger ones get 422.</summary>
    public int MaxImageSide { get; init; } = 4096;

    /// <summary>The most images in one request.</summary>
    public int MaxImagesPerRequest { get; init; } = 64;

    /// <summary>The most requests waiting for the model; more get 503 (the server is overloaded, try again).</summary>
    public int MaxQueuedRequests { get; init; } = 1024;

    /// <summary>How many classes /predict returns when the request does not say (?top=k).</summary>
    public int DefaultTopK { get; init; } = 5;

    /// <summary>On SIGTERM, how long requests already accepted may take to finish before the server stops anyway.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Request logs as one JSON object a line (for log collectors) instead of plain text.</summary>
    public bool JsonLogs { get; init; }

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Urls)) throw new ArgumentException("Give a URL to listen on, e.g. --urls http://127.0.0.1:5000.");
        foreach (string url in Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                throw new ArgumentException($"--urls: '{url}' is not an http:// URL such as http://127.0.0.1:5000.");
        if (MaxBatch < 1) throw new ArgumentException($"--max-batch must be at least 1, not {MaxBatch}.");
        if (MaxWait < TimeSpan.Zero || MaxWait > TimeSpan.FromSeconds(10)) throw new ArgumentException($"--max-wait-ms must be between 0 and 10000, not {MaxWait.TotalMilliseconds}.");
        if (MaxRequestBytes < 1024) throw new ArgumentException($"--max-request-mb is too small ({MaxRequestBytes} bytes): allow at least 1 KiB.");
        if (MaxImageSide < 1) throw new ArgumentException($"--max-image-side must be at least 1, not {MaxImageSide}.");
        if (MaxImagesPerRequest < 1) throw new ArgumentException($"--max-images must be at least 1, not {MaxImagesPerRequest}.");
        if (MaxQueuedRequests < 1) throw new ArgumentException($"The queue must hold at least one request, not {MaxQueuedRequests}.");
        if (DefaultTopK < 1) throw new ArgumentException($"--top must be at least 1, not {DefaultTopK}.");
        if (ShutdownTimeout < TimeSpan.Zero) throw new ArgumentException("--shutdown-timeout cannot be negative.");
    }
}
