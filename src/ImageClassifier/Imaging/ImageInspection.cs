using static TorchSharp.torch;

namespace ImageClassifier.Imaging;

/// <summary>One picture <see cref="ImageInspection"/> wrote: its name (the file name without .png), path and what it shows.</summary>
public sealed record InspectionView(string Name, string Path, string Description);

/// <summary>
/// An image's statistics and the views of it that were written. <see cref="FileWidth"/> x <see cref="FileHeight"/>
/// is the image's own (upright) size; the statistics and views are of the image as inspected, which is smaller
/// when <see cref="Reduced"/> (an image over <see cref="IO.InputLimits.MaxViewPixels"/>).
/// </summary>
public sealed record Inspection(string Source, ImageStats Stats, IReadOnlyList<InspectionView> Views, int FileWidth, int FileHeight)
{
    public bool Reduced => FileWidth != Stats.Width || FileHeight != Stats.Height;
}

/// <summary>
/// Looks inside an image: its statistics, and PNG views of its channels and colour spaces, each view an
/// 8-bit picture with OpenCV's 8-bit values (see <see cref="ColorSpaces"/>), so it compares pixel for pixel
/// with what <c>cv2.cvtColor</c> gives:
/// <list type="bullet">
/// <item>image.png: the image as decoded (upright, transparency over white).</item>
/// <item>red.png, green.png, blue.png: each channel as gray (3-channel images only).</item>
/// <item>gray.png: luma, 0.299 R + 0.587 G + 0.114 B.</item>
/// <item>hsv-h.png (hue in degrees / 2, 0..179), hsv-s.png, hsv-v.png; hsv.png shows H, S, V as R, G, B
/// (false colour, as cv2.imshow shows an HSV image).</item>
/// <item>lab-l.png (L* x 255 / 100), lab-a.png (a* + 128), lab-b.png (b* + 128); lab.png shows them as R, G, B.</item>
/// </list>
/// A gray image's colour views are those of its RGB copy (hue and saturation 0, a* and b* 128).
/// </summary>
public static class ImageInspection
{
    /// <summary>Decodes the file at <paramref name="path"/> and writes its views into <paramref name="folder"/> (created when needed).</summary>
    public static Inspection Inspect(string path, string folder)
    {
        // Reading a folder fails with "access denied", which would send the user looking at permissions.
        if (Directory.Exists(path)) throw new ImageDecodeException("is a folder where an image file was expected", path);
        // Bounded memory: an image over the view limit is decoded shrunk to it (straight at a reduced scale for
        // JPEG and WebP), and the colour conversions run a band of rows at a time.
        var image = ImageDecoder.DecodeFileNative(path, channels: null, IO.InputLimits.MaxViewPixels, out var fileSize); // names the file when it is missing or not an image
        var format = ImageFormats.DetectFile(path)
            ?? throw new ImageDecodeException("not an image (it changed while being read)", path);
        return new Inspection(path, ImageStats.Of(image, format), WriteViews(image, folder), fileSize.Width, fileSize.Height);
    }

    /// <summary>Writes the views of <paramref name="image"/> as PNG files into <paramref name="folder"/>, in the order listed above.</summary>
    public static IReadOnlyList<InspectionView> WriteViews(DecodedImage image, string folder)
    {
        Directory.CreateDirectory(folder);
        var views = new List<InspectionView>();
        int height = image.Height, width = image.Width;
        void Write(string name, string description, byte[] pixels, int offset, int channels)
        {
            var shape = new ImageShape(channels, height, width);
            string file = Path.Combine(folder, name + ".png");
            ImageEncoder.WritePng(file, pixels.AsSpan(offset, shape.Size), shape);
            views.Add(new InspectionView(name, file, description));
        }

        int plane = height * width;
        Write("image", "the image as decoded", image.Pixels, 0, image.Channels);
        if (image.Channels == 3)
            foreach (var (name, c) in ImageStats.ChannelNames(3).Select((n, c) => (n, c)))
                Write(name, $"the {name} channel", image.Pixels, c * plane, 1);

        var (gray, hsv, lab) = Convert(image);
        Write("gray", "grayscale: 0.299 R + 0.587 G + 0.114 B", gray, 0, 1);
        Write("hsv-h", "hue, degrees / 2 (0..179)", hsv, 0, 1);
        Write("hsv-s", "saturation (0..255)", hsv, plane, 1);
        Write("hsv-v", "value, max(R, G, B)", hsv, 2 * plane, 1);
        Write("hsv", "false colour: H, S, V as R, G, B", hsv, 0, 3);
        Write("lab-l", "lightness, L* x 255 / 100", lab, 0, 1);
        Write("lab-a", "a* + 128 (green to red)", lab, plane, 1);
        Write("lab-b", "b* + 128 (blue to yellow)", lab, 2 * plane, 1);
        Write("lab", "false colour: L, a, b as R, G, B", lab, 0, 3);
        return views;
    }

    /// <summary>Gray, HSV and Lab planes of the image (an RGB copy for gray images), as planar bytes.</summary>
    private static (byte[] Gray, byte[] Hsv, byte[] Lab) Convert(DecodedImage image)
    {
        int height = image.Height, width = image.Width, plane = height * width;
        var (gray, hsv, lab) = (new byte[plane], new byte[3 * plane], new byte[3 * plane]);
        // A band of rows at a time: the float intermediates cost ~100 bytes a pixel, 1.2 GB for a whole 12-megapixel photo.
        int band = Math.Max(1, (1 << 18) / width);
        using var all = tensor(image.Pixels, [image.Channels, height, width]);
        for (int row = 0; row < height; row += band)
        {
            using var scope = NewDisposeScope();
            int rows = Math.Min(band, height - row);
            var pixels = all.narrow(1, row, rows);
            var rgb = image.Channels == 3 ? pixels : pixels.expand(3, rows, width);
            Copy(ColorSpaces.RgbToGray(rgb), gray, row, rows, width, plane);
            Copy(ColorSpaces.RgbToHsv(rgb), hsv, row, rows, width, plane);
            Copy(ColorSpaces.RgbToLab(rgb), lab, row, rows, width, plane);
        }
        return (gray, hsv, lab);
    }

    // Copies a [C, rows, W] band into rows [row, row + rows) of each of the C planes of destination.
    private static void Copy(Tensor band, byte[] destination, int row, int rows, int width, int plane)
    {
        var bytes = band.contiguous().data<byte>().ToArray();
        int channels = (int)band.shape[0], size = rows * width;
        for (int c = 0; c < channels; c++)
            Array.Copy(bytes, c * size, destination, c * plane + row * width, size);
    }
}
