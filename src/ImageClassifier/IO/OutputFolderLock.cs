using System.Globalization;

namespace ImageClassifier.IO;

/// <summary>
/// Claims an output folder for one run, so that two trainings into the same folder cannot mix their files: a lock
/// file (<see cref="FileName"/>) kept open with an exclusive lock (.NET takes an advisory flock for
/// <see cref="FileShare.None"/> on Unix; the kernel drops it when the process dies, even by SIGKILL), and beside it
/// <see cref="OwnerFileName"/> with the owner's process id, host and start time for the message a second run gets.
/// A lock file left by a dead process holds no lock and is taken over. Creating the lock file is also the first
/// check that the folder can be written.
/// </summary>
public sealed class OutputFolderLock : IDisposable
{
    public const string FileName = ".imgclass.lock";
    public const string OwnerFileName = ".imgclass.lock.owner";

    readonly FileStream stream;

    OutputFolderLock(string path, FileStream stream)
    {
        Path = path;
        this.stream = stream;
    }

    /// <summary>The lock file.</summary>
    public string Path { get; }

    /// <summary>Takes the lock on <paramref name="folder"/> (created if missing), or throws an IOException saying who holds it.</summary>
    public static OutputFolderLock Acquire(string folder)
    {
        string full = System.IO.Path.GetFullPath(folder);
        try { Directory.CreateDirectory(full); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"Cannot create the output folder '{full}': {AtomicFile.Reason(e)}.", e);
        }
        string path = System.IO.Path.Combine(full, FileName);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new IOException($"The output folder '{full}' cannot be written: {AtomicFile.Reason(e)}.", e);
        }
        catch (IOException e) when (File.Exists(path) && IsLockConflict(e))
        {
            throw new IOException($"The output folder '{full}' is in use by another training ({Owner(System.IO.Path.Combine(full, OwnerFileName))}). " +
                "Wait for it to finish, stop it, or choose another --output.", e);
        }
        catch (IOException e)
        {
            throw new IOException($"The output folder '{full}' cannot be written: {AtomicFile.Reason(e)}.", e);
        }
        try
        {
            // Whatever the owner file said was a dead owner's (its lock is gone): this process owns the folder now.
            AtomicFile.WriteAllText(System.IO.Path.Combine(full, OwnerFileName), string.Create(CultureInfo.InvariantCulture,
                $"pid {Environment.ProcessId}\nhost {Environment.MachineName}\nstarted {DateTime.UtcNow:O}\n"));
        }
        catch (IOException e)
        {
            stream.Dispose();
            throw new IOException($"The output folder '{full}' cannot be written: {e.Message}", e);
        }
        return new OutputFolderLock(path, stream);
    }

    /// <summary>Who holds the lock, in words (its pid and start time), for the error message.</summary>
    static string Owner(string path)
    {
        try
        {
            var fields = File.ReadAllText(path).Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(l => l.Split(' ', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
            return fields.TryGetValue("pid", out string? pid)
                ? $"process {pid}{(fields.TryGetValue("host", out string? host) ? $" on {host}" : "")}{(fields.TryGetValue("started", out string? started) ? $", started {started}" : "")}"
                : "another process";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return "another process"; }
    }

    // EWOULDBLOCK from flock, or a sharing violation (Windows).
    static bool IsLockConflict(IOException e) => e.HResult is 11 or unchecked((int)0x80070020) || e.Message.Contains("used by another process", StringComparison.OrdinalIgnoreCase);

    // Deleted while still held, so that no other process can lock the old file just before it goes.
    public void Dispose()
    {
        try
        {
            File.Delete(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(Path)!, OwnerFileName));
            File.Delete(Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        stream.Dispose();
    }
}
