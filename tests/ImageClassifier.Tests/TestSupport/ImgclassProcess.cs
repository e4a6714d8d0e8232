using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace ImageClassifier.Tests.TestSupport;

/// <summary>
/// imgclass as a real child process (the apphost built beside the tests), for what only a process can show: signals,
/// SIGKILL at a chosen moment, resource limits. Output is captured as it comes; the process is killed if still
/// running when disposed.
/// </summary>
public sealed class ImgclassProcess : IDisposable
{
    readonly Process process;
    readonly StringBuilder output = new();

    ImgclassProcess(Process process)
    {
        this.process = process;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public static string Executable => Path.Combine(AppContext.BaseDirectory, "imgclass");

    /// <summary>Starts imgclass with <paramref name="args"/>; <paramref name="shellPrefix"/> (e.g. "ulimit -f 600;") runs it through bash.</summary>
    public static ImgclassProcess Start(IEnumerable<string> args, IDictionary<string, string>? environment = null, string? shellPrefix = null)
    {
        var start = shellPrefix is null ? new ProcessStartInfo(Executable) : new ProcessStartInfo("bash");
        if (shellPrefix is not null)
        {
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add($"{shellPrefix} exec \"$0\" \"$@\"");
            start.ArgumentList.Add(Executable);
        }
        foreach (string arg in args) start.ArgumentList.Add(arg);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        start.Environment.Remove("IMGCLASS_TEST_WRITE_DELAY_MS");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        return new ImgclassProcess(Process.Start(start)!);
    }

    /// <summary>Runs imgclass to the end (at most <paramref name="limit"/>) and returns its exit code and output.</summary>
    public static (int ExitCode, string Output) Run(IEnumerable<string> args, TimeSpan? limit = null, IDictionary<string, string>? environment = null, string? shellPrefix = null)
    {
        using var run = Start(args, environment, shellPrefix);
        int code = run.WaitForExit(limit ?? TimeSpan.FromMinutes(3));
        return (code, run.Output);
    }

    public int Id => process.Id;

    public string Output { get { lock (output) return output.ToString(); } }

    public bool HasExited => process.HasExited;

    /// <summary>Waits until <paramref name="condition"/> holds (polling every 10 ms); fails with the output when the process ends first or time runs out.</summary>
    public void WaitUntil(Func<bool> condition, string what, TimeSpan? limit = null)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (process.HasExited) throw new Xunit.Sdk.XunitException($"imgclass ended (exit {process.ExitCode}) before {what}:\n{Output}");
            if (clock.Elapsed > (limit ?? TimeSpan.FromMinutes(2))) throw new Xunit.Sdk.XunitException($"timed out waiting for {what}:\n{Output}");
            Thread.Sleep(10);
        }
    }

    /// <summary>Sends a signal (SIGINT 2, SIGKILL 9, SIGTERM 15) to the process.</summary>
    public void Signal(int signal)
    {
        if (kill(process.Id, signal) != 0) throw new InvalidOperationException($"kill({process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>The exit code once the process ends (a signal's death reads as 128 + its number).</summary>
    public int WaitForExit(TimeSpan limit)
    {
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException($"imgclass did not end within {limit.TotalSeconds:0}s:\n{Output}");
        }
        process.WaitForExit(); // drains the output
        return process.ExitCode;
    }

    public void Dispose()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        process.WaitForExit();
        process.Dispose();
    }

    [DllImport("libc", SetLastError = true)]
    static extern int kill(int pid, int signal);
}
