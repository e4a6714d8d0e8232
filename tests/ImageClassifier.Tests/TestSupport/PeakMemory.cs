namespace ImageClassifier.Tests.TestSupport;

/// <summary>
/// The process's peak resident memory (VmHWM) since this was created, in bytes above the resident
/// memory at the start. Linux resets the peak when "5" is written to /proc/self/clear_refs; elsewhere
/// <see cref="Supported"/> is false. Test classes run one at a time here (AssemblyInfo), so the peak is this test's.
/// </summary>
public sealed class PeakMemory
{
    readonly long start;

    public PeakMemory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        try { File.WriteAllText("/proc/self/clear_refs", "5"); Supported = true; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { Supported = false; }
        start = Read("VmRSS:");
    }

    public bool Supported { get; }

    /// <summary>Peak resident bytes above the start so far.</summary>
    public long Growth => Math.Max(0, Read("VmHWM:") - start);

    static long Read(string field)
    {
        if (!File.Exists("/proc/self/status")) return 0;
        foreach (string line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith(field))
                return long.Parse(line[field.Length..].Trim().Split(' ')[0]) * 1024;
        return 0;
    }
}
