using System.Text;
using System.Text.RegularExpressions;

namespace ImageClassifier.IO;

/// <summary>
/// Writes a file so that a crash, a kill or a full disk at any moment leaves either the old file or the whole
/// new one, never a torn one: the bytes go to a temporary file in the same folder (named
/// <c>&lt;name&gt;.&lt;pid&gt;.tmp</c>), which is flushed and fsynced, then renamed over the target (atomic on one file
/// system), and the folder is fsynced so that the rename itself survives a power cut. A failed write deletes its
/// temporary file and reports the path and the reason. Temporaries left by a killed process are removed by
/// <see cref="RemoveStaleTemporaries"/>. .NET has no atomic-replace API that fsyncs, hence these few lines.
/// </summary>
public static partial class AtomicFile
{
    /// <summary>Writes what <paramref name="write"/> puts in the stream to <paramref name="path"/>, atomically.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        string full = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(full)!;
        try { Directory.CreateDirectory(folder); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"Cannot create the folder '{folder}': {e.Message}", e);
        }
        string temp = TemporaryPath(full);
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true); // fsync: the data is on disk before the rename makes it visible
                if (TestWriteDelay > 0 && full.Contains(TestWriteDelayMatch, StringComparison.Ordinal)) Thread.Sleep(TestWriteDelay);
            }
            File.Move(temp, full, overwrite: true);
            DirectorySync.Flush(folder); // the rename itself survives a power cut
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException || IsFileSizeLimit(e))
        {
            TryDelete(temp);
            throw new IOException($"Could not write '{full}': {Reason(e)}", e);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>
    /// Fault injection for the kill tests: IMGCLASS_TEST_WRITE_DELAY_MS holds every write that long between writing its
    /// temporary file and renaming it (only writes whose path contains IMGCLASS_TEST_WRITE_DELAY_MATCH, when set), so that a
    /// test can kill the process in the middle of a write for certain.
    /// </summary>
    static readonly int TestWriteDelay = int.TryParse(Environment.GetEnvironmentVariable("IMGCLASS_TEST_WRITE_DELAY_MS"), out int ms) ? ms : 0;
    static readonly string TestWriteDelayMatch = Environment.GetEnvironmentVariable("IMGCLASS_TEST_WRITE_DELAY_MATCH") ?? "";

    public static void WriteAllText(string path, string text) =>
        Write(path, stream => stream.Write(new UTF8Encoding(false).GetBytes(text)));

    public static void WriteAllBytes(string path, byte[] bytes) => Write(path, stream => stream.Write(bytes));

    /// <summary>The temporary file a write to <paramref name="path"/> by this process goes through.</summary>
    public static string TemporaryPath(string path) => $"{Path.GetFullPath(path)}.{Environment.ProcessId}.tmp";

    /// <summary>
    /// Deletes the temporary files (<c>*.&lt;pid&gt;.tmp</c>) in <paramref name="folder"/> whose process no longer runs:
    /// what a kill in the middle of a write leaves. Returns the paths deleted.
    /// </summary>
    public static IReadOnlyList<string> RemoveStaleTemporaries(string folder)
    {
        if (!Directory.Exists(folder)) return [];
        var removed = new List<string>();
        foreach (string file in Directory.EnumerateFiles(folder, "*.tmp"))
        {
            var match = TemporaryName().Match(Path.GetFileName(file));
            if (!match.Success || !int.TryParse(match.Groups[1].Value, out int pid)) continue;
            if (pid != Environment.ProcessId && ProcessIsAlive(pid)) continue;
            if (pid == Environment.ProcessId && !Stale(file)) continue;
            if (TryDelete(file)) removed.Add(file);
        }
        return removed;
    }

    /// <summary>Whether process <paramref name="pid"/> is running on this machine.</summary>
    public static bool ProcessIsAlive(int pid)
    {
        if (pid <= 0) return false;
        if (OperatingSystem.IsLinux()) return Directory.Exists($"/proc/{pid}");
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }

    // This process's own temporaries are in use unless nothing touched them for a while (a failed earlier write).
    static bool Stale(string file) => DateTime.UtcNow - File.GetLastWriteTimeUtc(file) > TimeSpan.FromMinutes(10);

    static bool TryDelete(string path)
    {
        try
        {
            if (!File.Exists(path)) return false;
            File.Delete(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }

    // .NET reports EFBIG (a write past RLIMIT_FSIZE, with SIGXFSZ ignored) as an argument error on the file length.
    static bool IsFileSizeLimit(Exception e) => e is ArgumentOutOfRangeException { ParamName: "value" } && e.Message.Contains("too large", StringComparison.OrdinalIgnoreCase);

    /// <summary>The operating system's reason, worded for a person: a full disk, a size limit or a permission.</summary>
    public static string Reason(Exception e) => e.HResult switch
    {
        _ when IsFileSizeLimit(e) => "the file is larger than this process may write (a file-size limit, ulimit -f)",
        28 or unchecked((int)0x80070070) => "no space left on the device (the disk is full)",
        27 => "the file is larger than this process may write (a file-size limit, ulimit -f)",
        13 or 1 => "permission denied",
        30 => "the file system is read-only",
        _ when e is UnauthorizedAccessException => "permission denied",
        _ => e.Message,
    };

    [GeneratedRegex(@"\.(\d+)\.tmp$")]
    private static partial Regex TemporaryName();
}
