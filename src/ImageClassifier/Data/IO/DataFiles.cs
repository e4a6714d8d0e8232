using System.IO.Compression;

namespace ImageClassifier.Data;

/// <summary>Opening data files that may or may not be gzip-compressed, and reading them exactly.</summary>
internal static class DataFiles
{
    /// <summary>
    /// Opens <paramref name="path"/> for reading, decompressing when it starts with the gzip magic
    /// bytes 1f 8b. The content decides, not the extension: files get renamed and
    /// decompressed by tools (and browsers) without their names following.
    /// </summary>
    public static Stream OpenMaybeGzip(string path, out bool isGzip)
    {
        var file = OpenRead(path);
        isGzip = StartsWithGzipMagic(file);
        return isGzip ? new GZipStream(file, CompressionMode.Decompress, leaveOpen: false) : file;
    }

    public static FileStream OpenRead(string path)
    {
        // Linux reports opening a folder as "access denied", which would send the user the wrong way.
        if (Directory.Exists(path)) throw new DatasetException("is a folder where a file was expected.", path);
        if (ImageClassifier.IO.FileKinds.NotRegularReason(path) is { } notRegular) throw new DatasetException(notRegular + ".", path);
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        }
        catch (FileNotFoundException) { throw new DatasetException("no such file.", path); }
        catch (DirectoryNotFoundException) { throw new DatasetException("no such file (its folder does not exist).", path); }
        catch (UnauthorizedAccessException) { throw new DatasetException("permission denied: cannot read this file.", path); }
    }

    /// <summary>Peeks at the first two bytes and rewinds.</summary>
    public static bool StartsWithGzipMagic(FileStream file)
    {
        Span<byte> magic = stackalloc byte[2];
        int read = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        file.Position = 0;
        return read == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }

    /// <summary>Fills as much of <paramref name="buffer"/> as the stream holds; returns the count read.</summary>
    public static int ReadUpTo(Stream stream, Span<byte> buffer) =>
        stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);

    /// <summary>Reads and discards the rest of the stream, returning how many bytes it held.</summary>
    public static long CountRemaining(Stream stream)
    {
        var scratch = new byte[1 << 16];
        long total = 0;
        int read;
        while ((read = stream.Read(scratch)) > 0) total += read;
        return total;
    }
}
