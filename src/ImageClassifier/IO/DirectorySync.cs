using System.Runtime.InteropServices;

namespace ImageClassifier.IO;

/// <summary>
/// fsync(2) on a folder, so that a rename into it is on disk too (a file's own fsync does not cover its
/// directory entry); AtomicFile and ModelFile call it after their renames. .NET cannot open a folder as a
/// stream, hence the three libc calls. Best effort: where it cannot be done (Windows, a file system that
/// refuses) the rename is still atomic, only its durability across a power cut is less certain.
/// </summary>
public static class DirectorySync
{
    public static void Flush(string folder)
    {
        if (OperatingSystem.IsWindows()) return;
        try
        {
            const int O_RDONLY = 0;
            int fd = open(folder, O_RDONLY);
            if (fd < 0) return;
            try { fsync(fd); }
            finally { close(fd); }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { }
    }

    [DllImport("libc", SetLastError = true)]
    static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc")]
    static extern int fsync(int fd);

    [DllImport("libc")]
    static extern int close(int fd);
}
