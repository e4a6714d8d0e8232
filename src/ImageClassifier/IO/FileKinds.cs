using System.Runtime.InteropServices;

namespace ImageClassifier.IO;

/// <summary>What a path is once symbolic links are followed.</summary>
public enum FileKind { Missing, Regular, Directory, Fifo, CharacterDevice, BlockDevice, Socket, Unknown }

/// <summary>
/// Tells a regular file from a FIFO, device or socket without opening it: opening a FIFO for reading
/// blocks until a writer comes (a hang), and reading /dev/zero never ends. .NET reports all of them as
/// plain files (FileAttributes.Normal, length 0), so this asks the kernel with statx(2), whose struct
/// has one layout on every Linux architecture (stat's does not). Hand-written rather than a package
/// (Mono.Unix brings a native library of its own for these twenty lines).
/// Elsewhere (Windows, macOS) every existing non-folder is taken as regular.
/// </summary>
public static class FileKinds
{
    public static FileKind Of(string path)
    {
        if (Directory.Exists(path)) return FileKind.Directory;
        if (!File.Exists(path)) return FileKind.Missing;
        if (!OperatingSystem.IsLinux()) return FileKind.Regular;
        try
        {
            Span<byte> buffer = stackalloc byte[256];
            const int AT_FDCWD = -100, STATX_TYPE = 1;
            if (statx(AT_FDCWD, path, 0, STATX_TYPE, ref MemoryMarshal.GetReference(buffer)) != 0) return FileKind.Unknown;
            int mode = BitConverter.ToUInt16(buffer[28..30]) & 0xF000; // stx_mode at offset 28; S_IFMT
            return mode switch
            {
                0x8000 => FileKind.Regular,
                0x4000 => FileKind.Directory,
                0x1000 => FileKind.Fifo,
                0x2000 => FileKind.CharacterDevice,
                0x6000 => FileKind.BlockDevice,
                0xC000 => FileKind.Socket,
                _ => FileKind.Unknown,
            };
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return FileKind.Regular; // a libc without statx (glibc < 2.28): no check, as before
        }
    }

    /// <summary>Why <paramref name="path"/> must not be opened as a data file, or null when it is a regular file (or missing: opening says so).</summary>
    public static string? NotRegularReason(string path) => Of(path) switch
    {
        FileKind.Fifo => "a FIFO (named pipe), not a regular file: skipped without opening it (reading would wait for a writer forever)",
        FileKind.CharacterDevice => "a character device (such as /dev/zero), not a regular file: skipped without reading it",
        FileKind.BlockDevice => "a block device, not a regular file: skipped without reading it",
        FileKind.Socket => "a socket, not a regular file: skipped without opening it",
        FileKind.Unknown => "not a regular file (its type cannot be read; a broken or looping symbolic link?)",
        _ => null,
    };

    /// <summary>The canonical path (symbolic links resolved in every component), or the full path where that cannot be had.</summary>
    public static string RealPath(string path)
    {
        string full = Path.GetFullPath(path);
        if (OperatingSystem.IsWindows()) return full;
        try
        {
            IntPtr resolved = realpath(full, IntPtr.Zero);
            if (resolved == IntPtr.Zero) return full;
            try { return Marshal.PtrToStringUTF8(resolved) ?? full; }
            finally { free(resolved); }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return full;
        }
    }

    [DllImport("libc", SetLastError = true)]
    static extern int statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, ref byte buffer);

    [DllImport("libc", SetLastError = true)]
    static extern IntPtr realpath([MarshalAs(UnmanagedType.LPUTF8Str)] string path, IntPtr resolved);

    [DllImport("libc")]
    static extern void free(IntPtr pointer);
}
