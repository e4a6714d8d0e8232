using System.Formats.Tar;
using System.IO.Compression;
using ImageClassifier.Imaging;
using ImageClassifier.IO;

namespace ImageClassifier.Data;

/// <summary>
/// Reads the binary version of CIFAR-10: records of 1 label byte and 3072 pixel bytes
/// (the red, green and blue planes of a 32x32 image, rows in order), which is already the
/// channels-first layout of <see cref="ImageDataset"/>, so pixels are copied as they are.
/// </summary>
public static class Cifar10Reader
{
    public const string ArchiveName = "cifar-10-binary.tar.gz";
    public const string FolderName = "cifar-10-batches-bin";
    public const int RecordSize = 1 + 3 * 32 * 32;
    public static readonly ImageShape Shape = new(3, 32, 32);

    public static readonly IReadOnlyList<string> StandardClassNames =
        ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];

    /// <summary>The batch files: train is data batches 1..5 in this order, test is test_batch.</summary>
    public static readonly IReadOnlyList<string> TrainFiles = [.. Enumerable.Range(1, 5).Select(i => $"data_batch_{i}.bin")];
    public const string TestFile = "test_batch.bin";
    public const string MetaFile = "batches.meta.txt";

    /// <summary>
    /// Reads <paramref name="path"/>: the <c>cifar-10-batches-bin</c> folder, a folder holding it
    /// (or holding <c>cifar-10-binary.tar.gz</c>), or the archive itself, read without extracting it.
    /// </summary>
    public static DatasetSplits Read(string path)
    {
        if (File.Exists(path) && path.EndsWith(".bin", StringComparison.OrdinalIgnoreCase))
            throw new DatasetException(
                $"a single batch file: give the folder holding all six ({Path.GetDirectoryName(Path.GetFullPath(path))}) or {ArchiveName}.", path);
        if (File.Exists(path)) return ReadArchive(path);
        if (!Directory.Exists(path)) throw new DatasetException("no such file or folder.", path);
        string? found = Locate(path);
        if (found is null)
            throw new DatasetException(
                $"not a CIFAR-10 folder: it holds neither the batch files ({TrainFiles[0]}...), nor a {FolderName} folder, nor {ArchiveName}; " +
                $"download {ArchiveName} with 'imgclass datasets download cifar10'.", path);
        return File.Exists(found) ? ReadArchive(found) : ReadFolder(found);
    }

    /// <summary>The batch folder or archive that <paramref name="folder"/> is or holds, or null.</summary>
    internal static string? Locate(string folder)
    {
        if (LooksLikeBatchFolder(folder)) return folder;
        string inner = Path.Combine(folder, FolderName);
        if (Directory.Exists(inner)) return inner;
        string archive = Path.Combine(folder, ArchiveName);
        return File.Exists(archive) ? archive : null;
    }

    private static bool LooksLikeBatchFolder(string folder) =>
        TrainFiles.Append(TestFile).Any(name => File.Exists(Path.Combine(folder, name)));

    private static DatasetSplits ReadFolder(string folder)
    {
        var missing = TrainFiles.Append(TestFile).Where(name => !File.Exists(Path.Combine(folder, name))).ToList();
        if (missing.Count > 0)
            throw new DatasetException(
                $"incomplete CIFAR-10 folder: missing {string.Join(", ", missing)}; extract {ArchiveName} again or re-download it.", folder);
        string metaPath = Path.Combine(folder, MetaFile);
        var classNames = File.Exists(metaPath) ? ClassNames(File.ReadAllText(metaPath)) : StandardClassNames;
        var batches = TrainFiles.Append(TestFile).Select(name =>
        {
            string file = Path.Combine(folder, name);
            using var stream = DataFiles.OpenRead(file);
            return Decode(stream, stream.Length, file);
        }).ToList();
        return Assemble(batches, classNames);
    }

    private static DatasetSplits ReadArchive(string archive)
    {
        var batches = new Dictionary<string, Batch>();
        string? meta = null;
        using var file = DataFiles.OpenRead(archive);
        Stream tar = DataFiles.StartsWithGzipMagic(file) ? new GZipStream(file, CompressionMode.Decompress) : file;
        try
        {
            using var reader = new TarReader(tar);
            while (reader.GetNextEntry() is { } entry)
            {
                // Nothing is ever extracted, but a name that climbs out of the archive's folder marks a hostile or broken archive.
                if (EscapesFolder(entry.Name))
                    throw new DatasetException($"the archive entry '{entry.Name}' points outside the archive's folder (an absolute path or ..); refused: " +
                        $"the CIFAR-10 archive has none. Re-download {ArchiveName}.", archive);
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || entry.DataStream is null) continue;
                string name = Path.GetFileName(entry.Name);
                if (name == MetaFile)
                    meta = new StreamReader(entry.DataStream).ReadToEnd();
                else if (TrainFiles.Contains(name) || name == TestFile)
                    batches[name] = Decode(entry.DataStream, entry.Length, $"{archive}:{entry.Name}");
            }
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException or IOException)
        {
            throw new DatasetException($"corrupt or truncated archive ({e.Message}); re-download {ArchiveName}.", archive, e);
        }
        var missing = TrainFiles.Append(TestFile).Where(name => !batches.ContainsKey(name)).ToList();
        if (missing.Count > 0)
            throw new DatasetException(
                $"the archive lacks {string.Join(", ", missing)}; it is not the CIFAR-10 binary archive or it is damaged: re-download it.", archive);
        return Assemble([.. TrainFiles.Select(name => batches[name]), batches[TestFile]],
            meta is null ? StandardClassNames : ClassNames(meta));
    }

    /// <summary>Class names from batches.meta.txt (its non-empty lines), or the standard ones when it does not list ten.</summary>
    internal static IReadOnlyList<string> ClassNames(string metaText)
    {
        var names = metaText.Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0).ToArray();
        return names.Length == StandardClassNames.Count ? names : StandardClassNames;
    }

    private sealed record Batch(byte[] Pixels, int[] Labels);

    private static Batch Decode(Stream stream, long length, string source)
    {
        if (length % RecordSize != 0)
            throw new DatasetException(
                $"truncated or corrupt: {length} bytes is not a whole number of {RecordSize}-byte records; re-download the file.", source);
        long records = length / RecordSize;
        // The length is the header's word (a tar entry's declared size): check it before allocating for it.
        if (records > InputLimits.MaxCifarRecords)
            throw new DatasetException(
                $"declares {length:N0} bytes ({records:N0} records), more than the {InputLimits.MaxCifarRecords:N0} records a batch file may hold " +
                $"(CIFAR-10's hold 10,000; {InputLimits.RaiseHint("IMGCLASS_MAX_CIFAR_RECORDS")}); the file is damaged or not a CIFAR-10 batch.", source);
        int count = (int)records;
        var pixels = new byte[(long)count * Shape.Size];
        var labels = new int[count];
        var record = new byte[RecordSize];
        for (int i = 0; i < count; i++)
        {
            int got = DataFiles.ReadUpTo(stream, record);
            if (got < RecordSize)
                throw new DatasetException($"truncated: record {i} of {count} ends after {got} of its {RecordSize} bytes; re-download the file.", source);
            if (record[0] >= StandardClassNames.Count)
                throw new DatasetException(
                    $"record {i} has label {record[0]}, but CIFAR-10 labels are 0..9; this is not a CIFAR-10 batch (CIFAR-100 records have two label bytes) or it is damaged.", source);
            labels[i] = record[0];
            record.AsSpan(1).CopyTo(pixels.AsSpan(i * Shape.Size, Shape.Size));
        }
        return new Batch(pixels, labels);
    }

    private static bool EscapesFolder(string name) =>
        name.StartsWith('/') || name.StartsWith('\\') || (name.Length > 1 && name[1] == ':')
        || name.Split('/', '\\').Any(part => part == "..");

    private static DatasetSplits Assemble(IReadOnlyList<Batch> batches, IReadOnlyList<string> classNames)
    {
        var train = batches.Take(TrainFiles.Count).ToList();
        return new DatasetSplits(
            new ImageDataset("cifar10/train", Shape, classNames, Concat(train, b => b.Pixels), Concat(train, b => b.Labels)),
            new ImageDataset("cifar10/test", Shape, classNames, batches[^1].Pixels, batches[^1].Labels));
    }

    private static T[] Concat<T>(IReadOnlyList<Batch> batches, Func<Batch, T[]> part)
    {
        var all = new T[batches.Sum(b => (long)part(b).Length)];
        long offset = 0;
        foreach (var batch in batches)
        {
            Array.Copy(part(batch), 0, all, offset, part(batch).Length);
            offset += part(batch).Length;
        }
        return all;
    }
}
