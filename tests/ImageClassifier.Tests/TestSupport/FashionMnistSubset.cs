using System.Buffers.Binary;
using System.IO.Compression;

namespace ImageClassifier.Tests.TestSupport;

/// <summary>
/// The first images of the real Fashion-MNIST (Debian's dataset-fashion-mnist) as a small IDX folder, for tests that run
/// imgclass as a process and must stay fast: loading 400 images and testing on 200 takes a fraction of a second.
/// </summary>
public static class FashionMnistSubset
{
    public static string Write(string folder, int train = 400, int test = 200)
    {
        Directory.CreateDirectory(folder);
        Copy("train-images-idx3-ubyte", train, folder);
        Copy("train-labels-idx1-ubyte", train, folder);
        Copy("t10k-images-idx3-ubyte", test, folder);
        Copy("t10k-labels-idx1-ubyte", test, folder);
        return folder;
    }

    // The IDX header with the count changed, then the first count records.
    static void Copy(string name, int count, string folder)
    {
        string source = Path.Combine(FashionMnist.Folder, name + ".gz");
        if (!File.Exists(source)) throw new InvalidOperationException($"{source} is missing: run `sudo apt-get install dataset-fashion-mnist` (./test.sh does).");
        using var gzip = new GZipStream(File.OpenRead(source), CompressionMode.Decompress);
        var head = new byte[4];
        gzip.ReadExactly(head);
        int dimensions = head[3];
        var sizes = new byte[4 * dimensions];
        gzip.ReadExactly(sizes);
        long recordSize = 1;
        for (int d = 1; d < dimensions; d++) recordSize *= BinaryPrimitives.ReadInt32BigEndian(sizes.AsSpan(4 * d));
        BinaryPrimitives.WriteInt32BigEndian(sizes, count);
        var records = new byte[count * recordSize];
        gzip.ReadExactly(records);
        File.WriteAllBytes(Path.Combine(folder, name), [.. head, .. sizes, .. records]);
    }
}
