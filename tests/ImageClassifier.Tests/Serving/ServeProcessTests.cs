using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using ImageClassifier.Tests.TestSupport;

namespace ImageClassifier.Tests.Serving;

/// <summary>`imgclass serve` as a real process: it listens where told, logs each request, and a SIGTERM under load loses no accepted request.</summary>
public partial class ServeProcessTests
{
    [DllImport("libc", SetLastError = true)]
    static extern int kill(int pid, int signal);

    const int SIGTERM = 15;

    sealed class ServeProcess : IDisposable
    {
        readonly Process process;
        readonly System.Text.StringBuilder output = new();

        public ServeProcess(params string[] args)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "imgclass.dll"));
            foreach (string arg in args) start.ArgumentList.Add(arg);
            process = Process.Start(start)!;
            process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public string Output { get { lock (output) return output.ToString(); } }
        public int Id => process.Id;
        public bool HasExited => process.HasExited;
        public int ExitCode => process.ExitCode;

        public Uri WaitUntilListening(TimeSpan timeout)
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < timeout && !process.HasExited)
            {
                if (Listening().Match(Output) is { Success: true } match) return new Uri(match.Groups[1].Value.TrimEnd('/') + "/");
                Thread.Sleep(100);
            }
            throw new Xunit.Sdk.XunitException($"imgclass serve did not start listening within {timeout}:\n{Output}");
        }

        public bool WaitForExit(TimeSpan timeout)
        {
            if (!process.WaitForExit(timeout)) return false;
            process.WaitForExit(); // drains the output
            return true;
        }

        public void Dispose()
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.Dispose();
        }
    }

    [GeneratedRegex(@"Now listening on: (http://[0-9.]+:[0-9]+)")]
    private static partial Regex Listening();

    [Fact]
    public async Task Sigterm_under_load_lets_every_accepted_request_finish()
    {
        // A 100 ms batching wait keeps requests queued inside the server when the signal comes.
        using var server = new ServeProcess("serve", TrainedTutorialCnn.File, "--urls", "http://127.0.0.1:0", "--threads", "1",
            "--max-batch", "8", "--max-wait-ms", "100");
        var url = server.WaitUntilListening(TimeSpan.FromSeconds(90));
        var test = FashionMnist.Test;
        byte[] png = ImageClassifier.Imaging.ImageEncoder.EncodePng(test.Image(0), test.Shape);

        using var client = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(60) };
        int succeeded = 0, answeredAfterSignal = 0, notAccepted = 0;
        long signalled = long.MaxValue;
        var failures = new List<string>();
        var workers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            for (int i = 0; i < 200; i++)
            {
                try
                {
                    using var response = await client.PostAsync("predict", new ByteArrayContent(png));
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        string body = await response.Content.ReadAsStringAsync();
                        lock (failures) failures.Add($"HTTP {(int)response.StatusCode}: {body}");
                        continue;
                    }
                    Interlocked.Increment(ref succeeded);
                    if (Stopwatch.GetTimestamp() > Interlocked.Read(ref signalled)) Interlocked.Increment(ref answeredAfterSignal);
                }
                catch (HttpRequestException e) when (Interlocked.Read(ref signalled) != long.MaxValue
                    && e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.ResponseEnded)
                {
                    // After the signal: refused, or a connection still in the kernel's backlog reset when the listener closed.
                    // Either way the server never read the request; the counts below check that it answered all it did read.
                    Interlocked.Increment(ref notAccepted);
                    return;
                }
                catch (Exception e)
                {
                    lock (failures) failures.Add($"{e.GetType().Name} ({(e as HttpRequestException)?.HttpRequestError}): {e.Message}");
                    return;
                }
            }
        })).ToArray();

        var clock = Stopwatch.StartNew();
        while (Volatile.Read(ref succeeded) < 40 && clock.Elapsed < TimeSpan.FromSeconds(60)) await Task.Delay(20);
        Interlocked.Exchange(ref signalled, Stopwatch.GetTimestamp());
        Assert.Equal(0, kill(server.Id, SIGTERM));
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(90));

        Assert.True(server.WaitForExit(TimeSpan.FromSeconds(60)), "the server did not exit after SIGTERM");
        string log = server.Output;
        Assert.True(server.ExitCode == 0, $"exit code {server.ExitCode}:\n{log}");
        Assert.True(failures.Count == 0, string.Join("\n", failures) + "\n" + log);
        Assert.True(answeredAfterSignal > 0, $"no request was in flight at the signal (answered {succeeded}):\n{log}");
        // Every request that reached the server was answered (its log line is written when a request ends, however it ends),
        // and every answer reached its client: the three counts agree.
        var stopped = Regex.Match(log, @"Stopped after answering (\d+) prediction requests");
        Assert.True(stopped.Success, log);
        Assert.Equal(succeeded, int.Parse(stopped.Groups[1].Value));
        Assert.Equal(succeeded, Regex.Matches(log, @"POST /predict answered").Count);
        Assert.Equal(succeeded, Regex.Matches(log, @"POST /predict answered 200 ").Count);
        Assert.InRange(notAccepted, 0, 8); // at most one per client: each stops at its first unaccepted request
        Assert.Contains("Application is shutting down", log);
        Assert.Matches(@"POST /predict answered 200 in [\d.]+ ms \(1 images, \d+ bytes\)", log);
    }

    [Fact]
    public async Task Json_logs_carry_each_requests_fields()
    {
        using var server = new ServeProcess("serve", TrainedTutorialCnn.File, "--urls", "http://127.0.0.1:0", "--log-format", "json", "--threads", "1");
        var url = server.WaitUntilListening(TimeSpan.FromSeconds(90));
        using var client = new HttpClient { BaseAddress = url };
        using var refused = await client.PostAsync("predict", new StringContent("plain text"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, refused.StatusCode);
        Assert.Equal(0, kill(server.Id, SIGTERM));
        Assert.True(server.WaitForExit(TimeSpan.FromSeconds(60)));

        var line = server.Output.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith('{'))
            .Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement)
            .Single(e => e.GetProperty("Category").GetString() == "ImageClassifier.Serving.Requests");
        var state = line.GetProperty("State");
        Assert.Equal("Warning", line.GetProperty("LogLevel").GetString());
        Assert.Equal("POST", state.GetProperty("Method").GetString());
        Assert.Equal("/predict", state.GetProperty("Path").GetString());
        Assert.Equal("415", state.GetProperty("Status").ToString());
        Assert.Contains("is not an image", state.GetProperty("Problem").GetString());
    }

    [Fact]
    public void A_port_in_use_or_a_bad_option_is_a_clear_error()
    {
        using var blocker = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        blocker.Start();
        int port = ((IPEndPoint)blocker.LocalEndpoint).Port;
        using var server = new ServeProcess("serve", TrainedTutorialCnn.File, "--urls", $"http://127.0.0.1:{port}");
        Assert.True(server.WaitForExit(TimeSpan.FromSeconds(90)));
        Assert.Equal(1, server.ExitCode);
        Assert.Contains($"error: cannot listen on http://127.0.0.1:{port}", server.Output);
        Assert.DoesNotContain("   at ", server.Output);

        var bad = CliRunner.Run("serve", TrainedTutorialCnn.File, "--max-batch", "0");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("--max-batch must be at least 1", bad.Error);
        var noUrl = CliRunner.Run("serve", TrainedTutorialCnn.File, "--urls", "ftp://x");
        Assert.Contains("is not an http:// URL", noUrl.Error);
    }
}
