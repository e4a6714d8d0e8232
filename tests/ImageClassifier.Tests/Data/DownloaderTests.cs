using System.Security.Cryptography;
using ImageClassifier.Data;
using ImageClassifier.Tests.TestSupport;

namespace ImageClassifier.Tests.Data;

public class DownloaderTests
{
    private static readonly byte[] Content = MakeContent(300_000);
    private static readonly Checksum ContentMd5 = Checksum.Md5(Convert.ToHexStringLower(MD5.HashData(Content)));
    private static readonly Checksum ContentSha256 = Checksum.Sha256(Convert.ToHexStringLower(SHA256.HashData(Content)));

    private static byte[] MakeContent(int length)
    {
        var bytes = new byte[length];
        new Random(1).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Collects progress synchronously (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class Recorder : IProgress<DownloadProgress>
    {
        public List<DownloadProgress> Reports { get; } = [];
        public void Report(DownloadProgress value) { lock (Reports) Reports.Add(value); }
    }

    [Fact]
    public async Task Downloads_verifies_and_reports_progress()
    {
        using var server = new LoopbackHttpServer();
        using var dir = new TempDirectory();
        var url = server.Add("files/data.bin", Content);
        string destination = dir.File("cache/data.bin");
        var progress = new Recorder();

        await new Downloader().DownloadAsync(url, destination, ContentMd5, progress);

        Assert.Equal(Content, File.ReadAllBytes(destination));
        Assert.False(File.Exists(destination + ".part"));
        Assert.Equal(new DownloadProgress("data.bin", Content.Length, Content.Length), progress.Reports[^1]);
        Assert.Equal(0, progress.Reports[0].BytesReceived);
        Assert.Null(Assert.Single(server.Requests).Range);
    }

    [Fact]
    public async Task Sha256_checksums_work_too()
    {
        using var server = new LoopbackHttpServer();
        using var dir = new TempDirectory();
        await new Downloader().DownloadAsync(server.Add("a.bin", Content), dir.File("a.bin"), ContentSha256);
        Assert.Equal(ContentSha256, ContentSha256.ComputeFile(dir.File("a.bin")));
    }

    [Fact]
    public async Task Wrong_checksum_names_the_file_and_leaves_nothing()
    {
        using var server = new LoopbackHttpServer();
        using var dir = new TempDirectory();
        var wrong = Checksum.Md5(new string('0', 32));

        var e = await Assert.ThrowsAsync<DatasetException>(() =>
            new Downloader().DownloadAsync(server.Add("data.bin", Content), dir.File("data.bin"), wrong));

        Assert.Equal(dir.File("data.bin"), e.Path);
        Assert.Contains("checksum mismatch", e.Message);
        Assert.Contains(wrong.ToString(), e.Message);
        Assert.Contains(ContentMd5.ToString(), e.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
    }

    [Fact]
    public async Task Interrupted_transfer_keeps_the_part_and_resumes_with_a_range_request()
    {
        using var server = new LoopbackHttpServer();
        using var dir = new TempDirectory();
        var url = server.Add("data.bin", Content);
        string destination = dir.File("data.bin");
        int half = Content.Length / 2;
        server.CutNext(half);

        var e = await Assert.ThrowsAsync<DatasetException>(() => new Downloader().DownloadAsync(url, destination, ContentMd5));
        Assert.Equal(destination, e.Path);
        Assert.Contains("interrupted after", e.Message);
        Assert.Contains("run the command again to resume", e.Message);
        Assert.False(File.Exists(destination));
        long kept = new FileInfo(destination + ".part").Length;
        Assert.InRange(kept, 1, half);

        var progress = new Recorder();
        await new Downloader().DownloadAsync(url, destination, ContentMd5, progress);

        Assert.Equal(Content, File.ReadAllBytes(destination));
        Assert.False(File.Exists(destination + ".part"));
        Assert.Equal($"bytes={kept}-", server.Requests.Last().Range);
        Assert.Equal(kept, progress.Reports[0].BytesReceived);
        Assert.Equal(Content.Length, progress.Reports[0].TotalBytes);
    }

    [Fact]
    public async Task A_server_that_ignores_range_is_downloaded_again_from_the_start()
    {
        using var server = new LoopbackHttpServer { IgnoreRange = true };
        using var dir = new TempDirectory();
        string destination = dir.File("data.bin");
        File.WriteAllBytes(destination + ".part", new byte[1000]); // stale bytes that must not survive

        await new Downloader().DownloadAsync(server.Add("data.bin", Content), destination, ContentMd5);

        Assert.Equal(Content, File.ReadAllBytes(destination));
        Assert.Equal("bytes=1000-", server.Requests.Single().Range);
    }

    [Fact]
    public async Task A_complete_part_file_is_verified_and_moved_into_place()
    {
        using var server = new LoopbackHttpServer();
        using var dir = new TempDirectory();
        string destination = dir.File("data.bin");
        File.WriteAllBytes(destination + ".part", Content);

        await new Downloader().DownloadAsync(server.Add("data.bin", Content), destination, ContentMd5);

        Assert.Equal(Content, File.ReadAllBytes(destination));
        Assert.Equal($"bytes={Content.Length}-", server.Requests.Single().Range);
    }

    [Fact]
    public async Task A_stalled_transfer_times_out_and_keeps_the_part()
    {
        using var server = new LoopbackHttpServer();
        using var dir = new TempDirectory();
        server.CutNext(1000, stall: true);
        var downloader = new Downloader { StallTimeout = TimeSpan.FromMilliseconds(300) };

        var e = await Assert.ThrowsAsync<DatasetException>(() =>
            downloader.DownloadAsync(server.Add("data.bin", Content), dir.File("data.bin"), ContentMd5));

        Assert.Contains("no data for", e.Message);
        Assert.True(File.Exists(dir.File("data.bin.part")));
    }

    [Fact]
    public async Task Http_error_status_names_the_url_and_status()
    {
        using var server = new LoopbackHttpServer();
        using var dir = new TempDirectory();
        var url = new Uri(server.BaseUrl, "missing.bin");

        var e = await Assert.ThrowsAsync<DatasetException>(() => new Downloader().DownloadAsync(url, dir.File("missing.bin"), ContentMd5));

        Assert.Contains(url.ToString(), e.Message);
        Assert.Contains("HTTP 404", e.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
    }

    [Fact]
    public async Task Unreachable_server()
    {
        using var dir = new TempDirectory();
        int port;
        using (var server = new LoopbackHttpServer()) port = server.BaseUrl.Port; // now closed
        var url = new Uri($"http://127.0.0.1:{port}/data.bin");

        var e = await Assert.ThrowsAsync<DatasetException>(() => new Downloader().DownloadAsync(url, dir.File("data.bin"), null));
        Assert.Contains("could not reach", e.Message);
    }

    [Fact]
    public async Task Cancellation_is_not_turned_into_a_dataset_error()
    {
        using var server = new LoopbackHttpServer();
        using var dir = new TempDirectory();
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new Downloader().DownloadAsync(server.Add("data.bin", Content), dir.File("data.bin"), ContentMd5, null, cancel.Token));
    }

    [Fact]
    public void Checksums_check_their_digits_and_compare_case_insensitively()
    {
        Assert.Throws<ArgumentException>(() => Checksum.Md5("abc"));
        Assert.Throws<ArgumentException>(() => Checksum.Sha256(new string('g', 64)));
        Assert.Equal(Checksum.Md5(new string('A', 32)), Checksum.Md5(new string('a', 32)));
        Assert.NotEqual(Checksum.Md5(new string('a', 32)), Checksum.Md5(new string('b', 32)));
        Assert.Equal("md5:d41d8cd98f00b204e9800998ecf8427e", Checksum.Compute(ChecksumAlgorithm.Md5, new MemoryStream()).ToString());
    }
}
