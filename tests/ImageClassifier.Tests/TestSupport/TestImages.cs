using System.Buffers.Binary;
using SkiaSharp;

namespace ImageClassifier.Tests.TestSupport;

/// <summary>Real image files for tests: PNG, JPEG and WebP through Skia's encoders, BMP and GIF written by hand.</summary>
public static class TestImages
{
    public static SKBitmap Solid(int width, int height, SKColor color)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        bitmap.Erase(color);
        return bitmap;
    }

    /// <summary>Left half <paramref name="left"/>, right half <paramref name="right"/>.</summary>
    public static SKBitmap LeftRight(int width, int height, SKColor left, SKColor right) =>
        FromFunction(width, height, (x, _) => x < width / 2 ? left : right);

    public static SKBitmap FromFunction(int width, int height, Func<int, int, SKColor> color)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                bitmap.SetPixel(x, y, color(x, y));
        return bitmap;
    }

    public static byte[] Encode(SKBitmap bitmap, SKEncodedImageFormat format, int quality = 100)
    {
        using var data = bitmap.Encode(format, quality) ?? throw new InvalidOperationException($"Skia cannot encode {format}.");
        return data.ToArray();
    }

    public static byte[] Png(SKBitmap bitmap) => Encode(bitmap, SKEncodedImageFormat.Png);

    public static byte[] Jpeg(SKBitmap bitmap) => Encode(bitmap, SKEncodedImageFormat.Jpeg, 95);

    public static byte[] WebP(SKBitmap bitmap) => Encode(bitmap, SKEncodedImageFormat.Webp, 100);

    /// <summary>An uncompressed 24-bit BMP: 14-byte file header, 40-byte BITMAPINFOHEADER, bottom-up BGR rows padded to 4 bytes.</summary>
    public static byte[] Bmp(SKBitmap bitmap)
    {
        int width = bitmap.Width, height = bitmap.Height, rowBytes = (width * 3 + 3) / 4 * 4;
        var bytes = new byte[54 + rowBytes * height];
        var span = bytes.AsSpan();
        span[0] = (byte)'B';
        span[1] = (byte)'M';
        BinaryPrimitives.WriteInt32LittleEndian(span[2..], bytes.Length);
        BinaryPrimitives.WriteInt32LittleEndian(span[10..], 54); // pixel data offset
        BinaryPrimitives.WriteInt32LittleEndian(span[14..], 40); // BITMAPINFOHEADER size
        BinaryPrimitives.WriteInt32LittleEndian(span[18..], width);
        BinaryPrimitives.WriteInt32LittleEndian(span[22..], height); // positive: rows stored bottom-up
        BinaryPrimitives.WriteInt16LittleEndian(span[26..], 1); // planes
        BinaryPrimitives.WriteInt16LittleEndian(span[28..], 24); // bits per pixel
        BinaryPrimitives.WriteInt32LittleEndian(span[34..], rowBytes * height);
        BinaryPrimitives.WriteInt32LittleEndian(span[38..], 2835); // 72 dpi
        BinaryPrimitives.WriteInt32LittleEndian(span[42..], 2835);
        for (int y = 0; y < height; y++)
        {
            int row = 54 + (height - 1 - y) * rowBytes;
            for (int x = 0; x < width; x++)
            {
                var c = bitmap.GetPixel(x, y);
                bytes[row + x * 3] = c.Blue;
                bytes[row + x * 3 + 1] = c.Green;
                bytes[row + x * 3 + 2] = c.Red;
            }
        }
        return bytes;
    }

    /// <summary>
    /// A 2 x 2 GIF89a, left column red, right column blue: a 4-colour global palette and LZW data with
    /// minimum code size 2. The codes are Clear, 0, 1, Clear, 0, 1, End (3 bits each): clearing after
    /// each row keeps the code table below 8 entries, so the code width never grows.
    /// </summary>
    public static byte[] Gif2x2RedBlue()
    {
        const int clear = 4, end = 5;
        var lzw = PackLsbFirst([clear, 0, 1, clear, 0, 1, end], bits: 3);
        var gif = new List<byte>();
        gif.AddRange("GIF89a"u8.ToArray());
        gif.AddRange([2, 0, 2, 0]); // logical screen 2 x 2
        gif.AddRange([0x91, 0, 0]); // global palette of 2^(1+1) colours, 2 bits of colour resolution; background 0; square pixels
        gif.AddRange([0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF]); // red, blue, black, white
        gif.AddRange([0x2C, 0, 0, 0, 0, 2, 0, 2, 0, 0]); // image at 0,0 of 2 x 2, no local palette, not interlaced
        gif.Add(2); // LZW minimum code size
        gif.Add((byte)lzw.Length);
        gif.AddRange(lzw);
        gif.Add(0); // end of image data
        gif.Add(0x3B); // trailer
        return [.. gif];
    }

    // GIF packs LZW codes from the least significant bit up.
    private static byte[] PackLsbFirst(int[] codes, int bits)
    {
        var bytes = new byte[(codes.Length * bits + 7) / 8];
        int at = 0;
        foreach (int code in codes)
            for (int b = 0; b < bits; b++, at++)
                if ((code >> b & 1) != 0) bytes[at / 8] |= (byte)(1 << (at % 8));
        return bytes;
    }

    /// <summary>
    /// <paramref name="jpeg"/> with an EXIF APP1 segment right after its start marker carrying the orientation
    /// tag (1..8), as cameras write it: a little-endian TIFF header and one IFD entry.
    /// </summary>
    public static byte[] WithExifOrientation(byte[] jpeg, ushort orientation)
    {
        var tiff = new byte[8 + 2 + 12 + 4];
        "II"u8.CopyTo(tiff);
        BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(2), 42);
        BinaryPrimitives.WriteUInt32LittleEndian(tiff.AsSpan(4), 8); // first IFD at offset 8
        BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(8), 1); // one entry
        BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(10), 0x0112); // Orientation
        BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(12), 3); // SHORT
        BinaryPrimitives.WriteUInt32LittleEndian(tiff.AsSpan(14), 1); // count
        BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(18), orientation);
        // Last 4 bytes: no next IFD.
        byte[] payload = [.. "Exif\0\0"u8, .. tiff];
        var segment = new byte[4 + payload.Length];
        segment[0] = 0xFF;
        segment[1] = 0xE1;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), (ushort)(2 + payload.Length));
        payload.CopyTo(segment, 4);
        return [.. jpeg.AsSpan(0, 2), .. segment, .. jpeg.AsSpan(2)];
    }

    /// <summary>The CRC-32 that PNG chunks end with (ISO-HDLC: reflected polynomial 0xEDB88320).</summary>
    /// <summary>A 57-byte PNG whose header claims <paramref name="width"/> x <paramref name="height"/> gray pixels: signature, IHDR and a scrap of IDAT.</summary>
    public static byte[] PngClaiming(int width, int height)
    {
        using var stream = new MemoryStream();
        stream.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        byte[] ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; // bit depth 8, colour type 0 (gray)
        WritePngChunk(stream, "IHDR", ihdr);
        WritePngChunk(stream, "IDAT", [0x78, 0x9C, 0x63, 0x00, 0x00]);
        return stream.ToArray();
    }

    static void WritePngChunk(Stream stream, string type, byte[] data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        stream.Write(word);
        byte[] typed = [.. System.Text.Encoding.ASCII.GetBytes(type), .. data];
        stream.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32(typed));
        stream.Write(word);
    }

    public static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/>, creating its folder.</summary>
    public static string Write(string path, byte[] bytes)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>The RGB of pixel (x, y) in planar C x H x W bytes.</summary>
    public static (byte R, byte G, byte B) Rgb(ReadOnlySpan<byte> planar, int height, int width, int x, int y)
    {
        int plane = height * width, at = y * width + x;
        return (planar[at], planar[plane + at], planar[2 * plane + at]);
    }
}
