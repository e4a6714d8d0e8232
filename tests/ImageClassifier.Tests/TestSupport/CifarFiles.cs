using System.Formats.Tar;
using System.IO.Compression;

namespace ImageClassifier.Tests.TestSupport;

/// <summary>Writes CIFAR-10 binary batches (1 label byte + R, G, B planes of 32x32) and the tar.gz around them.</summary>
public static class CifarFiles
{
    public const int RecordSize = 3073;
    public static readonly string[] BatchNames =
        ["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin", "test_batch.bin"];

    /// <summary>
    /// A batch whose record r of batch b has label (b + r) mod 10, red plane = 10 * b + r,
    /// green = 100 + r, blue = 200 + pixel index mod 50: every plane is recognisable.
    /// </summary>
    public static byte[] Batch(int batch, int records)
    {
        var data = new byte[records * RecordSize];
        for (int r = 0; r < records; r++)
        {
            var record = data.AsSpan(r * RecordSize, RecordSize);
            record[0] = (byte)((batch + r) % 10);
            record.Slice(1, 1024).Fill((byte)(10 * batch + r));
            record.Slice(1025, 1024).Fill((byte)(100 + r));
            for (int p = 0; p < 1024; p++) record[2049 + p] = (byte)(200 + p % 50);
        }
        return data;
    }

    public static readonly string Meta = "airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n";

    /// <summary>Writes cifar-10-batches-bin/ under <paramref name="parent"/> with batch b holding records[b] records.</summary>
    public static string WriteFolder(string parent, int[] records, string? meta = null)
    {
        string folder = Path.Combine(parent, "cifar-10-batches-bin");
        Directory.CreateDirectory(folder);
        for (int b = 0; b < BatchNames.Length; b++)
            File.WriteAllBytes(Path.Combine(folder, BatchNames[b]), Batch(b, records[b]));
        File.WriteAllText(Path.Combine(folder, "batches.meta.txt"), meta ?? Meta);
        return folder;
    }

    /// <summary>A real cifar-10-binary.tar.gz (test batch first, as order in the archive must not matter).</summary>
    public static byte[] Archive(int[] records, IEnumerable<string>? leaveOut = null, Func<int, byte[]>? batchBytes = null)
    {
        var omitted = new HashSet<string>(leaveOut ?? []);
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Ustar))
        {
            tar.WriteEntry(new UstarTarEntry(TarEntryType.Directory, "cifar-10-batches-bin/"));
            AddFile(tar, "cifar-10-batches-bin/batches.meta.txt", System.Text.Encoding.ASCII.GetBytes(Meta));
            foreach (int b in new[] { 5, 0, 1, 2, 3, 4 })
                if (!omitted.Contains(BatchNames[b]))
                    AddFile(tar, "cifar-10-batches-bin/" + BatchNames[b], batchBytes?.Invoke(b) ?? Batch(b, records[b]));
        }
        return output.ToArray();
    }

    private static void AddFile(TarWriter tar, string name, byte[] data) =>
        tar.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(data) });
}
