using System.Buffers.Binary;
using ImageClassifier.Imaging;

namespace ImageClassifier.Data;

/// <summary>
/// Reads IDX files, the format of MNIST and Fashion-MNIST, gzip-compressed or raw.
/// Layout (big-endian): magic 00 00 08 D (unsigned bytes, D dimensions), D int32 sizes, then the data.
/// </summary>
public static class IdxReader
{
    public const int ImagesMagic = 0x00000803;
    public const int LabelsMagic = 0x00000801;

    /// <summary>Reads an images file and its labels file into one dataset, checking that they belong together.</summary>
    public static ImageDataset Read(string imagesPath, string labelsPath, string name, IReadOnlyList<string> classNames)
    {
        var (shape, pixels, count) = ReadImages(imagesPath);
        int[] labels = ReadLabels(labelsPath);
        if (labels.Length != count)
            throw new DatasetException(
                $"holds {labels.Length} labels but the images file {imagesPath} holds {count} images; " +
                "the two files do not belong together (train and test files mixed?) or one of them is damaged.", labelsPath);
        for (int i = 0; i < labels.Length; i++)
            if (labels[i] >= classNames.Count)
                throw new DatasetException(
                    $"label {labels[i]} of image {i} is outside the {classNames.Count} classes of '{name}' (labels 0..{classNames.Count - 1}); " +
                    "this labels file belongs to another dataset or is damaged.", labelsPath);
        return new ImageDataset(name, shape, classNames, pixels, labels);
    }

    /// <summary>Reads an images file: its shape (one channel), its pixels and how many images it holds.</summary>
    internal static (ImageShape Shape, byte[] Pixels, int Count) ReadImages(string path)
    {
        var (dims, data) = ReadIdx(path, ImagesMagic);
        return (new ImageShape(1, dims[1], dims[2]), data, dims[0]);
    }

    internal static int[] ReadLabels(string path)
    {
        var (_, data) = ReadIdx(path, LabelsMagic);
        var labels = new int[data.Length];
        for (int i = 0; i < data.Length; i++) labels[i] = data[i];
        return labels;
    }

    private static (int[] Dims, byte[] Data) ReadIdx(string path, int expectedMagic)
    {
        using var stream = DataFiles.OpenMaybeGzip(path, out bool isGzip);
        long fileLength = new FileInfo(path).Length;
        try
        {
            return ReadIdx(stream, path, expectedMagic, fileLength, isGzip);
        }
        catch (InvalidDataException e)
        {
            throw new DatasetException($"corrupt gzip data ({e.Message}); re-download the file.", path, e);
        }
        catch (IOException e) when (e is not FileNotFoundException)
        {
            throw new DatasetException($"could not read the file: {e.Message}", path, e);
        }
    }

    private static (int[] Dims, byte[] Data) ReadIdx(Stream stream, string path, int expectedMagic, long fileLength, bool isGzip)
    {
        int dimCount = expectedMagic & 0xff;
        Span<byte> header = stackalloc byte[4 + 4 * dimCount];
        int got = DataFiles.ReadUpTo(stream, header[..4]);
        if (got < 4)
            throw new DatasetException($"only {got} bytes long: too short to be an IDX file; re-download the file.", path);
        CheckMagic(BinaryPrimitives.ReadInt32BigEndian(header), expectedMagic, path);

        got = DataFiles.ReadUpTo(stream, header[4..]);
        if (got < 4 * dimCount)
            throw new DatasetException($"truncated inside its header ({4 + got} of {header.Length} bytes); re-download the file.", path);
        var dims = new int[dimCount];
        long total = 1;
        for (int d = 0; d < dimCount; d++)
        {
            dims[d] = BinaryPrimitives.ReadInt32BigEndian(header[(4 + 4 * d)..]);
            // A count of zero is a valid (empty) file; a zero or negative image side is not.
            if (dims[d] < 0 || (d > 0 && dims[d] == 0))
                throw new DatasetException($"header gives size {dims[d]} for dimension {d + 1}; the file is damaged: re-download it.", path);
            total *= dims[d];
            if (total > Array.MaxLength)
                throw new DatasetException($"header says {Describe(dims[..(d + 1)])}, more than {Array.MaxLength} bytes; the file is damaged or not an IDX file.", path);
        }

        // Raw files tell their size up front; for gzip, deflate cannot expand more than ~1032:1,
        // so a header claiming more than that is damaged and not worth allocating for.
        long available = isGzip ? (fileLength * 1100) + (1 << 20) : fileLength - header.Length;
        if (total > available)
        {
            long follow = isGzip ? DataFiles.CountRemaining(stream) : available;
            throw Truncated(path, dims, total, follow);
        }

        var data = ReadData(stream, total, isGzip);
        if (data.Length < total) throw Truncated(path, dims, total, data.Length);
        long extra = isGzip ? DataFiles.CountRemaining(stream) : fileLength - header.Length - total;
        if (extra > 0)
            throw new DatasetException(
                $"header says {Describe(dims)} ({total} bytes) but {extra} more bytes follow them; " +
                "the file is damaged or not what its header says: re-download it.", path);
        return (dims, data);
    }

    // A raw file's size was checked against the header; a gzip stream's is only known by reading it, so its
    // buffer grows with the data that actually arrives: a few kilobytes claiming 2 GB cost a few kilobytes.
    private static byte[] ReadData(Stream stream, long total, bool isGzip)
    {
        var data = new byte[isGzip ? Math.Min(total, 1 << 20) : total];
        long filled = 0;
        while (filled < total)
        {
            if (filled == data.Length) Array.Resize(ref data, (int)Math.Min(total, 2L * data.Length));
            int read = stream.Read(data, (int)filled, data.Length - (int)filled);
            if (read == 0) break;
            filled += read;
        }
        if (filled < data.Length) Array.Resize(ref data, (int)filled);
        return data;
    }

    private static void CheckMagic(int magic, int expected, string path)
    {
        if (magic == expected) return;
        string want = expected == ImagesMagic ? "images" : "labels";
        string other = expected == ImagesMagic ? "labels" : "images";
        string example = expected == ImagesMagic ? "train-images-idx3-ubyte[.gz]" : "train-labels-idx1-ubyte[.gz]";
        if (magic == (expected == ImagesMagic ? LabelsMagic : ImagesMagic))
            throw new DatasetException(
                $"this is an IDX {other} file (magic 0x{magic:X8}), not an {want} file (0x{expected:X8}); are the images and labels files swapped?", path);
        if ((magic & unchecked((int)0xFFFF0000)) == 0 && ((magic >> 8) & 0xff) != 0x08)
            throw new DatasetException(
                $"IDX data type 0x{(magic >> 8) & 0xff:X2} is not supported: image datasets store unsigned bytes (0x08).", path);
        if ((magic & unchecked((int)0xFFFFFF00)) == 0x00000800)
            throw new DatasetException(
                $"IDX file with {magic & 0xff} dimensions (magic 0x{magic:X8}), but {want} files have {expected & 0xff} (0x{expected:X8}).", path);
        throw new DatasetException(
            $"not an IDX {want} file: it starts with 0x{magic:X8} where the magic number 0x{expected:X8} should be; " +
            $"give the {want} file (such as {example}).", path);
    }

    private static DatasetException Truncated(string path, int[] dims, long total, long follow) =>
        new($"truncated: header says {Describe(dims)} ({total} bytes) but only {follow} bytes follow; re-download the file.", path);

    private static string Describe(int[] dims) => dims.Length switch
    {
        1 => $"{dims[0]} labels",
        3 => $"{dims[0]} images of {dims[1]}x{dims[2]}",
        _ => string.Join("x", dims) + " values",
    };
}
