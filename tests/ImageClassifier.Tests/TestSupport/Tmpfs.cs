using System.Diagnostics;

namespace ImageClassifier.Tests.TestSupport;

/// <summary>
/// A small tmpfs mounted on a fresh folder, for full-disk and read-only tests; unmounted when disposed. Mounting needs
/// root (or CAP_SYS_ADMIN): <see cref="TryMount"/> returns null where it is not allowed, and the test skips or falls back.
/// </summary>
public sealed class Tmpfs : IDisposable
{
    Tmpfs(string path) => Path = path;

    public string Path { get; }

    /// <param name="options">mount -o options, e.g. "size=1m" or "size=1m,ro".</param>
    public static Tmpfs? TryMount(string path, string options)
    {
        Directory.CreateDirectory(path);
        if (!OperatingSystem.IsLinux() || Run("mount", "-t", "tmpfs", "-o", options, "tmpfs", path) != 0) return null;
        return new Tmpfs(path);
    }

    public void Dispose() => Run("umount", "-l", Path);

    static int Run(string file, params string[] args)
    {
        try
        {
            var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (string arg in args) start.ArgumentList.Add(arg);
            using var process = Process.Start(start)!;
            process.WaitForExit();
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception) { return -1; } // no mount command
    }
}
