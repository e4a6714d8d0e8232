using System.Buffers.Binary;
using System.IO.Compression;
using ImageClassifier.Imaging;
using ImageClassifier.IO;
using ImageClassifier.Tests.TestSupport;
using SkiaSharp;

namespace ImageClassifier.Tests.Reliability;

/// <summary>Decompression bombs and big photos: refused from the header, or inspected in bounded memory.</summary>
public class LargeImageTests
{
    /// <summary>A gray PNG of any size written row by row (never held in memory): a gradient, deflated, so a huge image is a small file.</summary>
    internal static byte[] GrayPng(int width, int height, int? rowsWritten = null)
    {
        using var output = new MemoryStream();
        output.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; // bit depth; colour type 0 (gray), no interlace
        Chunk(output, "IHDR", ihdr);
        using var data = new MemoryStream();
        using (var zlib = new ZLibStream(data, CompressionLevel.Fastest, leaveOpen: true))
        {
            var row = new byte[width + 1]; // filter byte 0, then the pixels
            for (int y = 0; y < (rowsWritten ?? height); y++)
            {
                row.AsSpan(1).Fill((byte)(y * 255L / Math.Max(1, height - 1)));
                zlib.Write(row);
            }
        }
        Chunk(output, "IDAT", data.ToArray());
        Chunk(output, "IEND", []);
        return output.ToArray();
    }

    static void Chunk(Stream output, string type, byte[] data)
    {
        var length = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        output.Write(length);
        byte[] typed = [.. System.Text.Encoding.ASCII.GetBytes(type), .. data];
        output.Write(typed);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, TestImages.Crc32(typed));
        output.Write(crc);
    }

    [Fact]
    public void A_30000_by_30000_png_of_a_few_kilobytes_is_refused_before_decoding()
    {
        // Only the header matters: IHDR claims 900 megapixels, the data stops after one row.
        byte[] header = GrayPng(30_000, 30_000, rowsWritten: 1);
        Assert.True(header.Length < 10_000);
        var memory = new PeakMemory();
        var error = Assert.Throws<ImageDecodeException>(() => ImageDecoder.DecodeNative(header, name: "bomb.png"));
        Assert.Contains("30000 x 30000 pixels is too large", error.Message);
        Assert.Contains("IMGCLASS_MAX_IMAGE_MEGAPIXELS", error.Message);
        Assert.True(memory.Growth < 100_000_000, $"memory grew by {memory.Growth / 1e6:F0} MB");
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Inspect_on_a_16384_square_png_is_refused_clearly_and_a_99_megapixel_one_stays_under_1_GB()
    {
        using var dir = new TempDirectory();
        // The finding's image: 268 megapixels, over the 100-megapixel decode limit now: refused from its header.
        string huge = TestImages.Write(dir.File("huge.png"), GrayPng(16_384, 16_384));
        var refused = CliRunner.Run("inspect", huge, "-o", dir.File("huge-views"));
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("too large", refused.Error);
        Assert.False(Directory.Exists(dir.File("huge-views")), "a refused image left a partial output folder");

        // Just inside the limit: decoded whole once (400 MB of RGBA), then inspected at 16 megapixels.
        string big = TestImages.Write(dir.File("big.png"), GrayPng(11_000, 9_000));
        var memory = new PeakMemory();
        var inspected = CliRunner.Run("inspect", big, "-o", dir.File("big-views"), "--json");
        Assert.True(inspected.ExitCode == 0, inspected.Error);
        Assert.True(memory.Growth < 1L << 30, $"inspect grew memory by {memory.Growth / 1e6:F0} MB, over 1 GB");
        Assert.Contains("\"width\": 11000", inspected.Out);
        Assert.Contains("\"inspected_width\": 4422", inspected.Out);
        Assert.Equal(10, Directory.GetFiles(dir.File("big-views"), "*.png").Length); // a gray image has no red, green, blue views
    }

    [Fact]
    public void A_12_megapixel_jpeg_is_inspected_at_full_size_in_bounded_memory()
    {
        using var dir = new TempDirectory();
        using (var photo = TestImages.FromFunction(4000, 3000, (x, y) => new SKColor((byte)(x / 16), (byte)(y / 12), (byte)((x + y) / 28))))
            TestImages.Write(dir.File("photo.jpg"), TestImages.Jpeg(photo));
        var memory = new PeakMemory();
        var inspection = ImageInspection.Inspect(dir.File("photo.jpg"), dir.File("views"));
        Assert.False(inspection.Reduced);
        Assert.Equal((4000, 3000), (inspection.Stats.Width, inspection.Stats.Height));
        // Was 3.9 GB: the colour conversions now run a band of rows at a time.
        Assert.True(memory.Growth < 1L << 30, $"inspect grew memory by {memory.Growth / 1e6:F0} MB, over 1 GB");
        using var lab = SKBitmap.Decode(dir.File("views/lab-l.png"));
        Assert.Equal((4000, 3000), (lab.Width, lab.Height));
    }

    [Fact]
    public void Banded_colour_conversion_matches_the_whole_image_conversion()
    {
        using var dir = new TempDirectory();
        // Taller than one band (2^18 pixels / 64 = 4096 rows), so that band edges are crossed.
        using (var bitmap = TestImages.FromFunction(64, 5000, (x, y) => new SKColor((byte)(x * 4), (byte)(y % 256), (byte)((x * y) % 256))))
            TestImages.Write(dir.File("tall.png"), TestImages.Png(bitmap));
        ImageInspection.Inspect(dir.File("tall.png"), dir.File("views"));
        var image = ImageDecoder.DecodeFileNative(dir.File("tall.png"));
        using var pixels = TorchSharp.torch.tensor(image.Pixels, [3, 5000, 64]);
        using var hsv = ColorSpaces.RgbToHsv(pixels);
        using var written = SKBitmap.Decode(dir.File("views/hsv-h.png"));
        var expected = hsv[0].contiguous().data<byte>().ToArray();
        for (int y = 4090; y < 4100; y++)
            for (int x = 0; x < 64; x++)
                Assert.Equal(expected[y * 64 + x], written.GetPixel(x, y).Red);
    }

    [Fact]
    public void The_pixel_limit_can_be_raised()
    {
        long saved = InputLimits.MaxImagePixels;
        try
        {
            byte[] png = GrayPng(300, 200);
            InputLimits.MaxImagePixels = 50_000;
            Assert.Throws<ImageDecodeException>(() => ImageDecoder.DecodeNative(png));
            InputLimits.MaxImagePixels = 60_000;
            Assert.Equal(300, ImageDecoder.DecodeNative(png).Width);
        }
        finally { InputLimits.MaxImagePixels = saved; }
    }
}
