using System.Net;
using System.Net.Http.Headers;

namespace ImageClassifier.Data;

/// <summary>
/// Downloads one file over HTTP(S): into <c>&lt;file&gt;.part</c>, resuming a previous partial download
/// with a Range request, then checks the checksum and only then renames the file into place, so a
/// file under its final name is always whole and verified.
/// </summary>
public sealed class Downloader
{
    private static readonly Lazy<HttpClient> SharedClient = new(CreateClient);
    private const long ReportEvery = 1 << 20;

    private readonly HttpClient _client;

    /// <param name="client">The client to use; by default a shared one that leaves timeouts to this class.</param>
    public Downloader(HttpClient? client = null) => _client = client ?? SharedClient.Value;

    /// <summary>How long to wait for the server to answer a request.</summary>
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long the transfer may stall before it is given up (the partial file is kept to resume).</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public static string PartialPath(string destination) => destination + ".part";

    /// <summary>
    /// Downloads <paramref name="url"/> to <paramref name="destination"/>, verifying <paramref name="checksum"/>
    /// when given. Failures are <see cref="DatasetException"/>s; cancellation is an <see cref="OperationCanceledException"/>.
    /// </summary>
    public async Task DownloadAsync(Uri url, string destination, Checksum? checksum,
        IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(destination))!);
        string part = PartialPath(destination);
        await FetchAsync(url, destination, part, progress, cancellationToken);
        if (checksum is not null)
        {
            var actual = checksum.ComputeFile(part);
            if (actual != checksum)
            {
                File.Delete(part);
                throw new DatasetException(
                    $"checksum mismatch for the download of {url}: expected {checksum} but got {actual}; the download was deleted. " +
                    "Run the command again; if it keeps failing, the file on the server has changed.", destination);
            }
        }
        // A rename within one folder is atomic: readers never see a half-written file under the final name.
        File.Move(part, destination, overwrite: true);
    }

    private async Task FetchAsync(Uri url, string destination, string part, IProgress<DownloadProgress>? progress, CancellationToken ct)
    {
        long existing = File.Exists(part) ? new FileInfo(part).Length : 0;
        using var response = await SendAsync(url, existing, destination, ct);
        var range = response.Content.Headers.ContentRange;
        if (existing > 0 && response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            // Nothing left to fetch: the partial file is already whole (stopped before its rename).
            if (range?.Length == existing) return;
            File.Delete(part);
            await FetchAsync(url, destination, part, progress, ct);
            return;
        }
        if (!response.IsSuccessStatusCode)
            throw new DatasetException(
                $"download failed: {url} answered HTTP {(int)response.StatusCode} ({response.ReasonPhrase}); check the address, or try again later.", destination);

        bool append = existing > 0 && response.StatusCode == HttpStatusCode.PartialContent && range?.From == existing;
        if (response.StatusCode == HttpStatusCode.PartialContent && !append)
        {
            if (existing == 0)
                throw new DatasetException($"download failed: {url} sent part of the file ({range}) when all of it was asked for.", destination);
            File.Delete(part); // it answered another range than asked: start over
            await FetchAsync(url, destination, part, progress, ct);
            return;
        }
        // A 200 to a Range request means the server ignored it: the body is the whole file, so start over.
        long received = append ? existing : 0;
        long? total = append
            ? range!.Length ?? existing + response.Content.Headers.ContentLength
            : response.Content.Headers.ContentLength;

        string fileName = Path.GetFileName(destination);
        var buffer = new byte[1 << 16];
        long reported = received;
        progress?.Report(new DownloadProgress(fileName, received, total));
        await using (var output = new FileStream(part, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        await using (var body = await response.Content.ReadAsStreamAsync(ct))
        {
            while (true)
            {
                int read = await ReadAsync(body, buffer, ct, reason => Interrupted(url, destination, part, received, total, reason));
                if (read == 0) break;
                await output.WriteAsync(buffer.AsMemory(0, read), ct);
                received += read;
                if (received - reported >= ReportEvery)
                {
                    progress?.Report(new DownloadProgress(fileName, received, total));
                    reported = received;
                }
            }
        }
        if (reported != received) progress?.Report(new DownloadProgress(fileName, received, total));
        if (total is { } expected && received < expected)
            throw Interrupted(url, destination, part, received, total, "the connection closed early");
    }

    private async Task<HttpResponseMessage> SendAsync(Uri url, long resumeFrom, string destination, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (resumeFrom > 0) request.Headers.Range = new RangeHeaderValue(resumeFrom, null);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ResponseTimeout);
        try
        {
            return await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new DatasetException(
                $"download failed: no answer from {url} within {ResponseTimeout.TotalSeconds:0} s; check your network connection, or try again later.", destination);
        }
        catch (HttpRequestException e)
        {
            throw new DatasetException(
                $"download failed: could not reach {url} ({e.Message}); check your network connection (and HTTPS_PROXY if you need a proxy).", destination, e);
        }
    }

    /// <summary>One read of the body, turning a stall or a dropped connection into an "interrupted" error.</summary>
    private async Task<int> ReadAsync(Stream body, byte[] buffer, CancellationToken ct, Func<string, DatasetException> interrupted)
    {
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(ct);
        stall.CancelAfter(StallTimeout);
        try
        {
            return await body.ReadAsync(buffer, stall.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw interrupted($"no data for {StallTimeout.TotalSeconds:0} s");
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            throw interrupted(e.Message);
        }
    }

    private static DatasetException Interrupted(Uri url, string destination, string part, long received, long? total, string reason) =>
        new($"download of {url} interrupted after {received} of {total?.ToString() ?? "an unknown number of"} bytes ({reason}); " +
            $"the partial file {part} is kept: run the command again to resume.", destination);

    private static HttpClient CreateClient()
    {
        // Timeouts are enforced per phase above (answer, stalls): a whole-transfer timeout would cut off slow links.
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(30),
            AutomaticDecompression = DecompressionMethods.None, // .gz files must arrive as they are checksummed
        };
        var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("ImageClassifier");
        return client;
    }
}
