using ImageClassifier.IO;
using SkiaSharp;

namespace ImageClassifier.Imaging;

/// <summary>
/// Decodes JPEG, PNG, BMP, GIF and WebP files (recognised by content) to planar bytes: channels first
/// (C x H x W), 0..255, 1 channel (gray, BT.601 luma as OpenCV computes it) or 3 (RGB).
/// <list type="bullet">
/// <item>Transparency is composited over white (a transparent background becomes white, not black).</item>
/// <item>The EXIF orientation of JPEGs is applied, so phone photos come out upright.</item>
/// <item>Resizing stretches to the target shape (no cropping), with mipmapped bilinear sampling when shrinking.</item>
/// <item>Animated GIF and WebP give their first frame; embedded colour profiles are ignored (as Pillow and OpenCV do).</item>
/// </list>
/// Anything else (empty, truncated, corrupt, not an image) throws <see cref="ImageDecodeException"/>
/// naming the file; garbage bytes never crash the process.
/// </summary>
public static class ImageDecoder
{
    /// <summary>Images with more pixels are refused before any memory is allocated for them: a 50-byte
    /// PNG header can claim 65535 x 65535 pixels, 16 GiB of RGBA. <see cref="InputLimits.MaxImagePixels"/>
    /// (100 megapixels unless raised).</summary>
    public static long MaxPixels => InputLimits.MaxImagePixels;

    /// <summary>The image file at <paramref name="path"/> resized to <paramref name="shape"/>.</summary>
    public static byte[] DecodeFile(string path, ImageShape shape)
    {
        var pixels = new byte[CheckedSize(shape)];
        DecodeFile(path, shape, pixels);
        return pixels;
    }

    /// <summary>Decodes into <paramref name="destination"/> (exactly <c>shape.Size</c> bytes), e.g. a slice of a dataset's pixels.</summary>
    public static void DecodeFile(string path, ImageShape shape, Span<byte> destination) =>
        Decode(ReadFile(path), shape, destination, path);

    /// <summary>Encoded image bytes resized to <paramref name="shape"/>; <paramref name="name"/> names them in errors.</summary>
    public static byte[] Decode(ReadOnlySpan<byte> data, ImageShape shape, string? name = null)
    {
        var pixels = new byte[CheckedSize(shape)];
        Decode(data, shape, pixels, name);
        return pixels;
    }

    public static void Decode(ReadOnlySpan<byte> data, ImageShape shape, Span<byte> destination, string? name = null)
    {
        if (destination.Length != CheckedSize(shape))
            throw new ArgumentException($"Shape {shape} needs {shape.Size} bytes, the destination has {destination.Length}.", nameof(destination));
        using var source = DecodeSource(data, name, shape.Width, shape.Height);
        using var resized = ImageResampler.Render(source.Bitmap, source.Origin, shape.Width, shape.Height);
        PlanarPixels.FromRgba(resized, shape.Channels, destination);
    }

    /// <summary>
    /// The image file at its own (upright) size. <paramref name="channels"/>: 1 or 3, or null for the
    /// file's own (1 for grayscale images, 3 otherwise).
    /// </summary>
    public static DecodedImage DecodeFileNative(string path, int? channels = null) =>
        DecodeNative(ReadFile(path), channels, path);

    public static DecodedImage DecodeNative(ReadOnlySpan<byte> data, int? channels = null, string? name = null) =>
        DecodeNative(data, channels, name, maxPixels: null, out _);

    /// <summary>
    /// The image file at its own (upright) size, or, when it has more than <paramref name="maxPixels"/> pixels,
    /// shrunk (aspect kept) to fit them: JPEG and WebP then decode straight at a reduced scale, so a large image
    /// costs memory for the smaller one. <paramref name="fileSize"/> is the image's own upright size.
    /// </summary>
    public static DecodedImage DecodeFileNative(string path, int? channels, long maxPixels, out (int Width, int Height) fileSize) =>
        DecodeNative(ReadFile(path), channels, path, maxPixels, out fileSize);

    private static DecodedImage DecodeNative(ReadOnlySpan<byte> data, int? channels, string? name, long? maxPixels, out (int Width, int Height) fileSize)
    {
        if (channels is not (null or 1 or 3))
            throw new ArgumentException($"Images have 1 channel (gray) or 3 (RGB), not {channels}.", nameof(channels));
        using var source = DecodeSource(data, name, targetWidth: null, targetHeight: null, maxPixels);
        fileSize = ImageResampler.UprightSize(source.FileSize.Width, source.FileSize.Height, source.Origin);
        var (width, height) = ImageResampler.UprightSize(source.Size.Width, source.Size.Height, source.Origin);
        int outChannels = channels ?? (source.IsGray ? 1 : 3);
        using var upright = ImageResampler.Render(source.Bitmap, source.Origin, width, height);
        var pixels = new byte[outChannels * width * height];
        PlanarPixels.FromRgba(upright, outChannels, pixels);
        return new DecodedImage(width, height, outChannels, pixels);
    }

    private static int CheckedSize(ImageShape shape)
    {
        PlanarPixels.CheckShape(shape);
        return shape.Size;
    }

    private static byte[] ReadFile(string path)
    {
        // A FIFO would block the open, /dev/zero would fill memory: refuse them unopened.
        if (FileKinds.NotRegularReason(path) is { } notRegular) throw new ImageDecodeException(notRegular, path);
        try
        {
            long length = new FileInfo(path).Length;
            if (length > InputLimits.MaxImageFileBytes)
                throw new ImageDecodeException($"file of {length / 1e6:F0} MB is larger than the {InputLimits.MaxImageFileBytes / 1e6:F0} MB image files may be " +
                    $"({InputLimits.RaiseHint("IMGCLASS_MAX_IMAGE_FILE_MB")})", path);
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ImageDecodeException("file not found", path, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImageDecodeException($"cannot read the file: {e.Message}", path, e);
        }
    }

    /// <summary>A decoded image as stored (not yet upright), its orientation, whether it is gray, the size it
    /// is to be used at (stored orientation; the bitmap's unless shrunk to a pixel limit) and the file's own size.</summary>
    private sealed record Source(SKBitmap Bitmap, SKEncodedOrigin Origin, bool IsGray, SKSizeI Size, SKSizeI FileSize) : IDisposable
    {
        public void Dispose() => Bitmap.Dispose();
    }

    /// <summary>
    /// A codec over <paramref name="data"/> with its header parsed and no pixels decoded; the caller disposes the codec,
    /// then the data. Empty files, unknown formats and unreadable headers are an <see cref="ImageDecodeException"/>.
    /// </summary>
    internal static (SKCodec Codec, SKData Data, ImageFormat Format) OpenCodec(ReadOnlySpan<byte> data, string? name)
    {
        if (data.IsEmpty) throw new ImageDecodeException("empty file (0 bytes), not an image", name);
        if (ImageFormats.Detect(data) is not { } format)
            throw new ImageDecodeException($"not an image: content starts with {DescribeStart(data)}; expected {ImageFormats.SupportedList}", name);
        var encoded = SKData.CreateCopy(data);
        // The codec takes ownership of the stream (and frees it, even when it fails).
        var codec = SKCodec.Create(new SKMemoryStream(encoded), out var opened);
        if (codec is null)
        {
            encoded.Dispose();
            throw new ImageDecodeException(opened == SKCodecResult.IncompleteInput
                ? $"corrupt or truncated {format.DisplayName()}: its header is incomplete"
                : $"corrupt {format.DisplayName()}: its header cannot be read ({opened})", name);
        }
        return (codec, encoded, format);
    }

    // With a target size, JPEG and WebP decode straight to a smaller size when that still covers the target.
    private static Source DecodeSource(ReadOnlySpan<byte> data, string? name, int? targetWidth, int? targetHeight, long? maxPixels = null)
    {
        var opened = OpenCodec(data, name);
        using var encoded = opened.Data;
        using var codec = opened.Codec;
        var format = opened.Format;
        string kind = format.DisplayName();

        var info = codec.Info;
        if (info.Width < 1 || info.Height < 1)
            throw new ImageDecodeException($"corrupt {kind}: it claims a size of {info.Width} x {info.Height} pixels", name);
        if ((long)info.Width * info.Height > MaxPixels)
            throw new ImageDecodeException($"{kind} of {info.Width} x {info.Height} pixels is too large: the limit is {MaxPixels / 1_000_000} megapixels " +
                $"({InputLimits.RaiseHint("IMGCLASS_MAX_IMAGE_MEGAPIXELS")}); refused before decoding", name);

        var origin = codec.EncodedOrigin;
        var use = info.Size;
        if (maxPixels is long most && (long)info.Width * info.Height > most)
        {
            double shrink = Math.Sqrt((double)most / ((long)info.Width * info.Height));
            use = new SKSizeI(Math.Max(1, (int)(info.Width * shrink)), Math.Max(1, (int)(info.Height * shrink)));
            (targetWidth, targetHeight) = ImageResampler.UprightSize(use.Width, use.Height, origin);
        }
        var size = targetWidth is int w && targetHeight is int h ? ReducedSize(codec, origin, w, h) : info.Size;
        // Premultiplied, as Skia blends and resamples: transparent pixels then carry no stray colour.
        var decodeInfo = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        var bitmap = new SKBitmap();
        try
        {
            if (!bitmap.TryAllocPixels(decodeInfo))
                throw new ImageDecodeException($"not enough memory to decode a {kind} of {info.Width} x {info.Height} pixels", name);
            var result = codec.GetPixels(decodeInfo, bitmap.GetPixels());
            // Skia fills what is missing of a truncated image with gray and reports IncompleteInput: refuse
            // it, since training on half-gray images quietly hurts the model.
            if (result is SKCodecResult.IncompleteInput or SKCodecResult.ErrorInInput)
                throw new ImageDecodeException($"corrupt or truncated {kind}: its pixel data is incomplete or damaged", name);
            if (result != SKCodecResult.Success)
                throw new ImageDecodeException($"cannot decode this {kind} ({result})", name);
            return new Source(bitmap, origin, info.ColorType == SKColorType.Gray8, use == info.Size ? size : use, info.Size);
        }
        catch
        {
            bitmap.Dispose();
            throw;
        }
    }

    // A 12-megapixel JPEG decoded at 1/8 scale (straight from its DCT coefficients) is many times faster
    // than decoding it whole to make a 32 x 32 input. Only used when the reduced size still covers the
    // target, so the final resize still shrinks (and averages) rather than enlarges.
    private static SKSizeI ReducedSize(SKCodec codec, SKEncodedOrigin origin, int targetWidth, int targetHeight)
    {
        var full = codec.Info.Size;
        if (ImageResampler.SwapsSides(origin)) (targetWidth, targetHeight) = (targetHeight, targetWidth);
        float scale = Math.Max((float)targetWidth / full.Width, (float)targetHeight / full.Height);
        if (scale >= 1) return full;
        var reduced = codec.GetScaledDimensions(scale);
        if (reduced.Width >= targetWidth && reduced.Height >= targetHeight) return reduced;
        // JPEG scales by eighths, and the nearest one may fall short (224 to 64: 2/8 gives 56): take the
        // next eighth up (3/8, 84) rather than decoding at full size, which costs about twice as much.
        for (int eighths = (int)Math.Ceiling(scale * 8); eighths < 8; eighths++)
        {
            reduced = codec.GetScaledDimensions(eighths / 8f);
            if (reduced.Width >= targetWidth && reduced.Height >= targetHeight) return reduced;
        }
        return full;
    }

    /// <summary>The first bytes in hex, and as text when they read as text ("3C 21 44 4F ("&lt;!DO", text)").</summary>
    public static string DescribeStart(ReadOnlySpan<byte> data)
    {
        var head = data[..Math.Min(8, data.Length)];
        string hex = string.Join(' ', head.ToArray().Select(b => b.ToString("X2")));
        bool text = true;
        foreach (byte b in head) text &= b is >= 0x20 and < 0x7F or (byte)'\t' or (byte)'\r' or (byte)'\n';
        if (!text) return hex;
        string shown = System.Text.Encoding.ASCII.GetString(head).Replace("\r", "\\r").Replace("\n", "\\n").Replace("\t", "\\t");
        return $"{hex} (\"{shown}\", looks like text)";
    }
}
