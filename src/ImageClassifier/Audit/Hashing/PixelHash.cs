using System.Security.Cryptography;

namespace ImageClassifier.Audit.Hashing;

/// <summary>
/// A content hash of decoded pixels (SHA-256 of the size and the planes), so that a copy saved in another format
/// (PNG to BMP, or any lossless re-encoding) hashes the same while the file bytes differ. A colour image whose three
/// planes are equal hashes as the gray image it shows, so a gray PNG and its RGB copy match too.
/// </summary>
public static class PixelHash
{
    /// <summary>The hash as 64 hex digits; <paramref name="pixels"/> are planar (C x H x W), 1 or 3 channels.</summary>
    public static string Of(ReadOnlySpan<byte> pixels, int width, int height, int channels)
    {
        int plane = width * height;
        if (pixels.Length != plane * channels) throw new ArgumentException($"{channels} planes of {width} x {height} need {plane * channels} bytes, not {pixels.Length}.");
        bool gray = channels == 1 || IsGray(pixels, plane);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> header = stackalloc byte[12];
        BitConverter.TryWriteBytes(header, width);
        BitConverter.TryWriteBytes(header[4..], height);
        BitConverter.TryWriteBytes(header[8..], gray ? 1 : 3);
        hash.AppendData(header);
        hash.AppendData(gray ? pixels[..plane] : pixels);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Whether the three planes of an RGB image are the same (a gray picture stored in colour).</summary>
    public static bool IsGray(ReadOnlySpan<byte> pixels, int plane) =>
        pixels.Length == 3 * plane && pixels[..plane].SequenceEqual(pixels.Slice(plane, plane)) && pixels[..plane].SequenceEqual(pixels.Slice(2 * plane, plane));
}
