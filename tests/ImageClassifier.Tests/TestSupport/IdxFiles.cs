using System.Buffers.Binary;
using System.IO.Compression;

namespace ImageClassifier.Tests.TestSupport;

/// <summary>Writes IDX files byte for byte as MNIST publishes them, raw or gzip-compressed.</summary>
public static class IdxFiles
{
    /// <summary>Deterministic pixels: image i, pixel p holds (i * 31 + p * 7) mod 256.</summary>
    public static byte[] Pixels(int count, int rows, int cols)
    {
        var pixels = new byte[count * rows * cols];
        for (int i = 0; i < count; i++)
            for (int p = 0; p < rows * cols; p++)
                pixels[i * rows * cols + p] = (byte)((i * 31 + p * 7) % 256);
        return pixels;
    }

    public static byte[] Images(int count, int rows, int cols, byte[]? pixels = null) =>
        [.. Header(0x00000803, count, rows, cols), .. pixels ?? Pixels(count, rows, cols)];

    public static byte[] Labels(IEnumerable<int> labels) =>
        [.. Header(0x00000801, labels.Count()), .. labels.Select(l => (byte)l)];

    public static byte[] Header(int magic, params int[] dims)
    {
        var header = new byte[4 + 4 * dims.Length];
        BinaryPrimitives.WriteInt32BigEndian(header, magic);
        for (int d = 0; d < dims.Length; d++) BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + 4 * d), dims[d]);
        return header;
    }

    public static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest)) gzip.Write(data);
        return output.ToArray();
    }

    /// <summary>Writes the four files of a small MNIST-style dataset (gzip unless <paramref name="raw"/>); labels cycle 0..classes-1.</summary>
    public static void WriteDataset(string folder, int train, int test, bool raw = false, int classes = 10, int side = 28)
    {
        Directory.CreateDirectory(folder);
        string suffix = raw ? "" : ".gz";
        Write(Path.Combine(folder, "train-images-idx3-ubyte" + suffix), Images(train, side, side), raw);
        Write(Path.Combine(folder, "train-labels-idx1-ubyte" + suffix), Labels(Enumerable.Range(0, train).Select(i => i % classes)), raw);
        Write(Path.Combine(folder, "t10k-images-idx3-ubyte" + suffix), Images(test, side, side), raw);
        Write(Path.Combine(folder, "t10k-labels-idx1-ubyte" + suffix), Labels(Enumerable.Range(0, test).Select(i => (i + 3) % classes)), raw);
    }

    private static void Write(string path, byte[] data, bool raw) => File.WriteAllBytes(path, raw ? data : Gzip(data));
}
