using System.Diagnostics;

namespace ImageClassifier.Tests.TestSupport;

/// <summary>FIFOs and links to devices, made with the system's own tools.</summary>
public static class SpecialFiles
{
    public static string Fifo(string path)
    {
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [path]) { RedirectStandardError = true })!;
        mkfifo.WaitForExit();
        if (mkfifo.ExitCode != 0) throw new InvalidOperationException($"mkfifo {path} failed: {mkfifo.StandardError.ReadToEnd()}");
        return path;
    }

    public static string LinkTo(string path, string target)
    {
        File.CreateSymbolicLink(path, target);
        return path;
    }
}
