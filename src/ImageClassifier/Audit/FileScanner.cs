using System.Collections.Concurrent;
using ImageClassifier.Audit.Hashing;
using ImageClassifier.Imaging;

namespace ImageClassifier.Audit;

/// <summary>The files found, each scanned, with each decoded image's thumbnail and its pixels at the models' input size.</summary>
public sealed class ImageScan
{
    public required IReadOnlyList<ScannedFile> Files { get; init; }
    public required IReadOnlyList<string> ClassNames { get; init; }
    /// <summary>The size the models see (the label check trains at it).</summary>
    public required ImageShape Shape { get; init; }
    /// <summary>Per file, its 32 x 32 gray thumbnail (null for files that did not decode).</summary>
    public required byte[]?[] Thumbnails { get; init; }
    /// <summary>Per file, its pixels at <see cref="Shape"/> (null for files that did not decode).</summary>
    public required byte[]?[] Inputs { get; init; }
    public required double Seconds { get; init; }
}

/// <summary>
/// Reads every file of an image-folder listing once, in parallel chunks: the bytes, the format by content, the
/// decoded image at its own size (for its size, colour and exact hash), a 32 x 32 gray thumbnail (perceptual
/// hashes) and the image at the models' input size. Only the thumbnail and the small input are kept, so memory
/// grows by about 1 KB plus one small input per image whatever the files' size; at most one chunk of full-size
/// images is decoded at a time.
/// </summary>
public static class FileScanner
{
    const int Chunk = 256;
    static readonly ImageShape ThumbnailShape = new(1, PerceptualHash.ThumbnailSide, PerceptualHash.ThumbnailSide);

    /// <param name="progress">Called after each chunk with (files done, files in all).</param>
    public static ImageScan Scan(FolderListing listing, AuditSettings settings, Action<int, int>? progress = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var shape = settings.Shape ?? ChooseShape(listing.Files.Select(f => f.Path).ToList());
        int n = listing.Files.Count;
        var files = new ScannedFile[n];
        var thumbnails = new byte[]?[n];
        var inputs = new byte[]?[n];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = settings.Workers == 0 ? Environment.ProcessorCount : settings.Workers };
        for (int start = 0; start < n; start += Chunk)
        {
            int end = Math.Min(start + Chunk, n);
            Parallel.For(start, end, parallel, i =>
            {
                var (path, split, label) = listing.Files[i];
                (files[i], thumbnails[i], inputs[i]) = ScanFile(i, path, split, label, shape);
            });
            progress?.Invoke(end, n);
        }
        return new ImageScan
        {
            Files = files, ClassNames = listing.ClassNames, Shape = shape, Thumbnails = thumbnails, Inputs = inputs,
            Seconds = clock.Elapsed.TotalSeconds,
        };
    }

    static (ScannedFile, byte[]?, byte[]?) ScanFile(int index, string path, string split, int label, ImageShape shape)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (new ScannedFile(index, path, split, label, 0, null) { Problem = FileProblems.Unreadable, Reason = $"cannot read the file: {e.Message}" }, null, null);
        }
        var file = new ScannedFile(index, path, split, label, bytes.Length, ImageFormats.Detect(bytes));
        if (bytes.Length == 0)
            return (file with { Problem = FileProblems.Empty, Reason = "empty file (0 bytes)" }, null, null);
        if (file.Format is not { } format)
            return (file with { Problem = FileProblems.NotAnImage, Reason = $"not an image: content starts with {ImageDecoder.DescribeStart(bytes)}" }, null, null);

        DecodedImage image;
        try
        {
            image = ImageDecoder.DecodeNative(bytes, channels: null, name: path);
        }
        catch (ImageDecodeException e)
        {
            bool truncated = StartsValidly(bytes, format) && !EndsCompletely(bytes, format);
            return (file with
            {
                Problem = truncated ? FileProblems.Truncated : FileProblems.Corrupt,
                Reason = truncated ? $"truncated {format.DisplayName()}: the file ends before its end marker ({e.Reason})" : e.Reason,
            }, null, null);
        }

        int plane = image.Width * image.Height;
        var thumbnail = image.ResizeTo(ThumbnailShape).Pixels;
        var input = image.Shape == shape ? image.Pixels : image.ResizeTo(shape).Pixels;
        byte first = thumbnail[0];
        return (file with
        {
            Width = image.Width, Height = image.Height,
            StoredGray = image.Channels == 1,
            Gray = image.Channels == 1 || PixelHash.IsGray(image.Pixels, plane),
            PixelHash = PixelHash.Of(image.Pixels, image.Width, image.Height, image.Channels),
            PHash = PerceptualHash.PHash(thumbnail),
            DHash = PerceptualHash.DHash(thumbnail),
            Blank = Array.TrueForAll(thumbnail, p => Math.Abs(p - first) <= 2),
        }, thumbnail, input);
    }

    /// <summary>
    /// Whether the file ends with its format's end marker: JPEG's EOI (FF D9, perhaps followed by padding), PNG's
    /// IEND chunk, GIF's trailer (3B). BMP and WebP declare their length instead, which the decoder checks.
    /// </summary>
    public static bool EndsCompletely(ReadOnlySpan<byte> bytes, ImageFormat format)
    {
        var tail = bytes[Math.Max(0, bytes.Length - 64)..];
        return format switch
        {
            ImageFormat.Jpeg => tail.IndexOf((ReadOnlySpan<byte>)[0xFF, 0xD9]) >= 0,
            ImageFormat.Png => tail.IndexOf("IEND"u8) >= 0,
            ImageFormat.Gif => tail.TrimEnd((byte)0).EndsWith((ReadOnlySpan<byte>)[0x3B]),
            _ => true,
        };
    }

    /// <summary>
    /// Whether the file's first structure after the signature is what its format puts there (PNG's IHDR chunk, a
    /// JPEG marker segment): a file that starts well and stops early was cut short; one that is garbage from the
    /// start is corrupt.
    /// </summary>
    public static bool StartsValidly(ReadOnlySpan<byte> bytes, ImageFormat format) => format switch
    {
        ImageFormat.Png => bytes.Length >= 16 && bytes[12..16].SequenceEqual("IHDR"u8),
        ImageFormat.Jpeg => bytes.Length >= 4 && bytes[3] is >= 0xC0 and <= 0xFE,
        _ => true,
    };

    /// <summary>
    /// The models' input size for these files: the most common size among up to 64 files spread over the listing,
    /// shrunk (keeping its aspect) so that its longer side is at most 32 pixels; gray when most of them are gray.
    /// A small CNN at this size trains in seconds per fold and still separates classes that differ in shape.
    /// </summary>
    public static ImageShape ChooseShape(IReadOnlyList<string> paths)
    {
        const int sample = 64, largest = 32;
        var sizes = new ConcurrentBag<(int Width, int Height, bool Gray)>();
        var picked = Enumerable.Range(0, Math.Min(sample, paths.Count)).Select(k => paths[(int)((long)k * paths.Count / Math.Min(sample, paths.Count))]).Distinct();
        Parallel.ForEach(picked, path =>
        {
            try
            {
                var image = ImageDecoder.DecodeFileNative(path);
                sizes.Add((image.Width, image.Height, image.Channels == 1 || PixelHash.IsGray(image.Pixels, image.Width * image.Height)));
            }
            catch (ImageDecodeException) { } // the scan reports it
        });
        if (sizes.IsEmpty) return new ImageShape(3, largest, largest);
        var (width, height) = sizes.GroupBy(s => (s.Width, s.Height)).OrderByDescending(g => g.Count()).ThenBy(g => g.Key.Width * g.Key.Height).First().Key;
        double scale = Math.Min(1.0, (double)largest / Math.Max(width, height));
        int channels = sizes.Count(s => s.Gray) * 2 >= sizes.Count ? 1 : 3;
        return new ImageShape(channels, Math.Max(8, (int)Math.Round(height * scale)), Math.Max(8, (int)Math.Round(width * scale)));
    }
}
