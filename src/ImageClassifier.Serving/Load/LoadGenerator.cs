using System.Diagnostics;
using System.Net.Http.Headers;

namespace ImageClassifier.Serving.Load;

/// <summary>What a load run saw: requests sent, answered 200, failed (with the first few reasons), wall time and latencies.</summary>
public sealed record LoadReport(int Requests, int Concurrency, int Succeeded, int Failed, IReadOnlyList<string> FirstErrors,
    TimeSpan Elapsed, double P50Ms, double P99Ms, double MaxMs)
{
    public double RequestsPerSecond => Requests / Elapsed.TotalSeconds;
}

/// <summary>
/// A bounded load test for a prediction server over real HTTP: exactly <c>requests</c> POSTs of image bytes to
/// /predict from <c>concurrency</c> workers, each sending its next request when its last was answered, then it
/// stops by itself. Each request gets a deadline, so a stuck server gives errors, not a hang. It knows nothing
/// of imgclass but the URL, so it measures any server that speaks the same API.
/// </summary>
public static class LoadGenerator
{
    public static async Task<LoadReport> RunAsync(Uri server, IReadOnlyList<byte[]> images, int requests, int concurrency,
        TimeSpan? requestTimeout = null, CancellationToken cancel = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(requests, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        if (images.Count == 0) throw new ArgumentException("Give at least one image to send.");
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        using var client = new HttpClient(handler) { BaseAddress = server, Timeout = requestTimeout ?? TimeSpan.FromSeconds(60) };
        var latencies = new double[requests];
        var errors = new List<string>();
        int next = -1, failed = 0;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, Math.Min(concurrency, requests)).Select(_ => Task.Run(async () =>
        {
            for (int i = Interlocked.Increment(ref next); i < requests; i = Interlocked.Increment(ref next))
            {
                long start = Stopwatch.GetTimestamp();
                string? error = await SendAsync(client, images[i % images.Count], cancel);
                latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                if (error is null) continue;
                Interlocked.Increment(ref failed);
                lock (errors) if (errors.Count < 10) errors.Add($"request {i}: {error}");
            }
        }, cancel)).ToArray();
        await Task.WhenAll(workers);
        clock.Stop();
        Array.Sort(latencies);
        return new LoadReport(requests, concurrency, requests - failed, failed, errors, clock.Elapsed,
            Percentile(latencies, 0.50), Percentile(latencies, 0.99), latencies[^1]);
    }

    static async Task<string?> SendAsync(HttpClient client, byte[] image, CancellationToken cancel)
    {
        try
        {
            using var content = new ByteArrayContent(image);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            using var response = await client.PostAsync("predict", content, cancel);
            string body = await response.Content.ReadAsStringAsync(cancel);
            return response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}: {body[..Math.Min(200, body.Length)]}";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            return $"{e.GetType().Name}: {e.Message}";
        }
    }

    /// <summary>The nearest-rank percentile of sorted values.</summary>
    public static double Percentile(double[] sorted, double fraction) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];
}
