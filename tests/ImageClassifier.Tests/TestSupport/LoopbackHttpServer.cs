using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ImageClassifier.Tests.TestSupport;

/// <summary>
/// A minimal HTTP/1.1 file server on 127.0.0.1 (a free port), one request per connection, with
/// Range support and ways to misbehave: cut a response short, stall it, or ignore Range.
/// TcpListener rather than HttpListener: it binds port 0 without a race and can cut a body mid-way.
/// </summary>
public sealed class LoopbackHttpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentDictionary<string, byte[]> _files = new();
    private readonly CancellationTokenSource _stop = new();
    private int _cutsLeft;

    public LoopbackHttpServer()
    {
        _listener.Start();
        BaseUrl = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _ = AcceptLoopAsync();
    }

    public Uri BaseUrl { get; }

    public ConcurrentQueue<Request> Requests { get; } = new();

    /// <summary>A request as received: its path and its Range header, if any.</summary>
    public sealed record Request(string Path, string? Range);

    /// <summary>Answer Range requests with the whole file (200), as some servers do.</summary>
    public bool IgnoreRange { get; set; }

    public Uri Add(string path, byte[] content)
    {
        _files["/" + path.TrimStart('/')] = content;
        return new Uri(BaseUrl, path);
    }

    /// <summary>The next <paramref name="times"/> responses send only <paramref name="bytes"/> of their body, then close (or stall).</summary>
    public void CutNext(int bytes, int times = 1, bool stall = false)
    {
        CutBytes = bytes;
        Stall = stall;
        Volatile.Write(ref _cutsLeft, times);
    }

    private int CutBytes { get; set; }
    private bool Stall { get; set; }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) { return; }
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        try
        {
            var stream = client.GetStream();
            var (path, headers) = await ReadHeadAsync(stream);
            headers.TryGetValue("range", out string? range);
            Requests.Enqueue(new Request(path, range));

            if (!_files.TryGetValue(path, out byte[]? content))
            {
                await WriteAsync(stream, "404 Not Found", [], Encoding.ASCII.GetBytes("not found"));
                return;
            }
            long from = 0;
            var extra = new List<string>();
            string status = "200 OK";
            if (range is not null && !IgnoreRange && range.StartsWith("bytes=", StringComparison.Ordinal) && range.EndsWith('-'))
            {
                from = long.Parse(range["bytes=".Length..^1]);
                if (from >= content.Length)
                {
                    await WriteAsync(stream, "416 Range Not Satisfiable", [$"Content-Range: bytes */{content.Length}"], []);
                    return;
                }
                status = "206 Partial Content";
                extra.Add($"Content-Range: bytes {from}-{content.Length - 1}/{content.Length}");
            }
            byte[] body = content[(int)from..];
            if (Interlocked.Decrement(ref _cutsLeft) >= 0)
            {
                await WriteAsync(stream, status, extra, body, sendOnly: CutBytes);
                if (Stall) await Task.Delay(Timeout.Infinite, _stop.Token);
                return;
            }
            await WriteAsync(stream, status, extra, body);
        }
        catch (Exception) { /* the client went away, or the server is stopping */ }
    }

    private static async Task<(string Path, Dictionary<string, string> Headers)> ReadHeadAsync(NetworkStream stream)
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (head.Count < 4 || !(head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n'))
        {
            if (await stream.ReadAsync(one) == 0) throw new IOException("client closed");
            head.Add(one[0]);
        }
        string[] lines = Encoding.ASCII.GetString([.. head]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string line in lines.Skip(1))
        {
            int colon = line.IndexOf(':');
            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }
        return (lines[0].Split(' ')[1], headers);
    }

    private static async Task WriteAsync(NetworkStream stream, string status, IEnumerable<string> headers, byte[] body, int sendOnly = -1)
    {
        var head = new StringBuilder($"HTTP/1.1 {status}\r\n");
        head.Append($"Content-Length: {body.Length}\r\nContent-Type: application/octet-stream\r\nAccept-Ranges: bytes\r\nConnection: close\r\n");
        foreach (string header in headers) head.Append(header).Append("\r\n");
        head.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
        await stream.WriteAsync(body.AsMemory(0, sendOnly >= 0 ? Math.Min(sendOnly, body.Length) : body.Length));
        await stream.FlushAsync();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }
}
