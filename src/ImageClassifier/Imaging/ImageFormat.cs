using System.Buffers.Binary;

namespace ImageClassifier.Imaging;

/// <summary>The encoded image formats the toolkit reads.</summary>
public enum ImageFormat { Jpeg, Png, Bmp, Gif, WebP }

/// <summary>
/// Recognises an image by its first bytes (its magic number), never by its extension:
/// datasets gathered from the web are full of PNGs named .jpg and HTML error pages named .png.
/// </summary>
public static class ImageFormats
{
    /// <summary>How many bytes of a file's start <see cref="Detect"/> needs to decide every format.</summary>
    public const int HeaderLength = 18;

    /// <summary>The format whose magic number <paramref name="header"/> starts with; null for anything else.</summary>
    public static ImageFormat? Detect(ReadOnlySpan<byte> header)
    {
        if (header.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])) return ImageFormat.Jpeg;
        if (header.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])) return ImageFormat.Png;
        if (header.StartsWith("GIF87a"u8) || header.StartsWith("GIF89a"u8)) return ImageFormat.Gif;
        // RIFF is a container (WAV and AVI use it too): only the WEBP form type makes it an image.
        if (header.Length >= 12 && header.StartsWith("RIFF"u8) && header[8..12].SequenceEqual("WEBP"u8)) return ImageFormat.WebP;
        if (IsBmp(header)) return ImageFormat.Bmp;
        return null;
    }

    /// <summary>The format of the file at <paramref name="path"/> by its content; I/O errors propagate.
    /// FIFOs and devices are not images (null), and are not opened.</summary>
    public static ImageFormat? DetectFile(string path)
    {
        if (ImageClassifier.IO.FileKinds.NotRegularReason(path) is not null) return null;
        Span<byte> header = stackalloc byte[HeaderLength];
        using var stream = File.OpenRead(path);
        int read = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        return Detect(header[..read]);
    }

    /// <summary>The name people know the format by ("JPEG", "WebP").</summary>
    public static string DisplayName(this ImageFormat format) => format switch
    {
        ImageFormat.Jpeg => "JPEG",
        ImageFormat.Png => "PNG",
        ImageFormat.Bmp => "BMP",
        ImageFormat.Gif => "GIF",
        ImageFormat.WebP => "WebP",
        _ => format.ToString(),
    };

    /// <summary>The supported formats as a phrase for error messages.</summary>
    public const string SupportedList = "JPEG, PNG, BMP, GIF or WebP";

    // "BM" alone is two letters a text file may start with ("BMW ..."), so also require one of the
    // known DIB header sizes (OS/2 12/16/64, Windows 40/52/56/108/124) at offset 14.
    private static bool IsBmp(ReadOnlySpan<byte> header) =>
        header.Length >= 18 && header[0] == (byte)'B' && header[1] == (byte)'M'
        && BinaryPrimitives.ReadUInt32LittleEndian(header[14..18]) is 12 or 16 or 40 or 52 or 56 or 64 or 108 or 124;
}
