using System.Security.Cryptography;

namespace ImageClassifier.Data;

public enum ChecksumAlgorithm { Md5, Sha256 }

/// <summary>
/// A published checksum of a file. MD5 is kept because that is what dataset authors publish
/// (it guards against damaged downloads, not against tampering); SHA-256 where one is known.
/// </summary>
public sealed record Checksum
{
    public Checksum(ChecksumAlgorithm algorithm, string hex)
    {
        int digits = algorithm == ChecksumAlgorithm.Md5 ? 32 : 64;
        if (hex.Length != digits || !hex.All(Uri.IsHexDigit))
            throw new ArgumentException($"A {algorithm} checksum has {digits} hex digits; got '{hex}'.", nameof(hex));
        Algorithm = algorithm;
        Hex = hex.ToLowerInvariant();
    }

    public ChecksumAlgorithm Algorithm { get; }
    public string Hex { get; }

    public static Checksum Md5(string hex) => new(ChecksumAlgorithm.Md5, hex);
    public static Checksum Sha256(string hex) => new(ChecksumAlgorithm.Sha256, hex);

    /// <summary>The checksum of the same kind computed over a stream (read to its end).</summary>
    public Checksum Compute(Stream stream) => Compute(Algorithm, stream);

    public static Checksum Compute(ChecksumAlgorithm algorithm, Stream stream)
    {
        byte[] hash = algorithm == ChecksumAlgorithm.Md5 ? MD5.HashData(stream) : SHA256.HashData(stream);
        return new Checksum(algorithm, Convert.ToHexStringLower(hash));
    }

    public Checksum ComputeFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Compute(stream);
    }

    public override string ToString() => $"{(Algorithm == ChecksumAlgorithm.Md5 ? "md5" : "sha256")}:{Hex}";
}
