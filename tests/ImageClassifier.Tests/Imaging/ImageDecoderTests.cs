using System.Text;
using ImageClassifier.Data;
using ImageClassifier.Imaging;
using ImageClassifier.Tests.TestSupport;
using SkiaSharp;

namespace ImageClassifier.Tests.Imaging;

public class ImageDecoderTests
{
    private static readonly ImageShape Rgb8 = new(3, 8, 8);

    private static byte[] Encoded(string format, SKBitmap bitmap) => format switch
    {
        "png" => TestImages.Png(bitmap),
        "jpeg" => TestImages.Jpeg(bitmap),
        "webp" => TestImages.WebP(bitmap),
        "bmp" => TestImages.Bmp(bitmap),
        _ => throw new ArgumentException(format),
    };

    private static void AssertClose(int expected, int actual, int tolerance) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"expected {expected} ± {tolerance}, got {actual}");

    private static void AssertRgb((byte R, byte G, byte B) expected, (byte R, byte G, byte B) actual, int tolerance = 0)
    {
        AssertClose(expected.R, actual.R, tolerance);
        AssertClose(expected.G, actual.G, tolerance);
        AssertClose(expected.B, actual.B, tolerance);
    }

    [Fact]
    public void Solid_red_png_decodes_to_exact_red_planes()
    {
        using var red = TestImages.Solid(8, 8, SKColors.Red);
        var pixels = ImageDecoder.Decode(TestImages.Png(red), Rgb8);

        Assert.Equal(3 * 8 * 8, pixels.Length);
        Assert.All(pixels[..64], v => Assert.Equal(255, v)); // R plane
        Assert.All(pixels[64..], v => Assert.Equal(0, v)); // G and B planes
    }

    [Fact]
    public void Grayscale_uses_bt601_luma_as_opencv_does()
    {
        var gray = new ImageShape(1, 8, 8);
        foreach (var (color, expected) in new[] { (SKColors.Red, 76), (SKColors.Lime, 150), (SKColors.Blue, 29), (SKColors.White, 255), (SKColors.Black, 0) })
        {
            using var bitmap = TestImages.Solid(8, 8, color);
            var pixels = ImageDecoder.Decode(TestImages.Png(bitmap), gray);
            Assert.Equal(64, pixels.Length);
            Assert.All(pixels, v => Assert.Equal(expected, v));
        }
        Assert.Equal((int)Math.Round(0.299 * 255), ImageDecoder.Decode(TestImages.Png(TestImages.Solid(2, 2, SKColors.Red)), new ImageShape(1, 2, 2))[0]);
    }

    [Theory]
    [InlineData("png", 0)]
    [InlineData("bmp", 0)]
    [InlineData("webp", 8)] // lossy even at quality 100
    [InlineData("jpeg", 8)] // lossy, and chroma is subsampled
    public void Every_format_decodes_with_red_left_and_blue_right(string format, int tolerance)
    {
        using var bitmap = TestImages.LeftRight(16, 16, SKColors.Red, SKColors.Blue);
        var pixels = ImageDecoder.Decode(Encoded(format, bitmap), new ImageShape(3, 16, 16), $"x.{format}");

        AssertRgb((255, 0, 0), TestImages.Rgb(pixels, 16, 16, 2, 8), tolerance);
        AssertRgb((0, 0, 255), TestImages.Rgb(pixels, 16, 16, 13, 8), tolerance);
    }

    [Fact]
    public void Hand_made_gif_decodes()
    {
        var image = ImageDecoder.DecodeNative(TestImages.Gif2x2RedBlue(), name: "tiny.gif");

        Assert.Equal((2, 2, 3), (image.Width, image.Height, image.Channels));
        AssertRgb((255, 0, 0), TestImages.Rgb(image.Pixels, 2, 2, 0, 0));
        AssertRgb((0, 0, 255), TestImages.Rgb(image.Pixels, 2, 2, 1, 0));
        AssertRgb((255, 0, 0), TestImages.Rgb(image.Pixels, 2, 2, 0, 1));
        AssertRgb((0, 0, 255), TestImages.Rgb(image.Pixels, 2, 2, 1, 1));
    }

    [Theory]
    [InlineData(64, 32, 16, 8)] // shrink
    [InlineData(8, 8, 32, 24)] // enlarge
    [InlineData(40, 10, 20, 30)] // shrink one side, enlarge the other
    public void Resizing_keeps_left_and_right(int width, int height, int toWidth, int toHeight)
    {
        using var bitmap = TestImages.LeftRight(width, height, SKColors.Red, SKColors.Blue);
        var pixels = ImageDecoder.Decode(TestImages.Png(bitmap), new ImageShape(3, toHeight, toWidth));

        Assert.Equal(3 * toWidth * toHeight, pixels.Length);
        for (int y = 0; y < toHeight; y++)
        {
            AssertRgb((255, 0, 0), TestImages.Rgb(pixels, toHeight, toWidth, 0, y), tolerance: 2);
            AssertRgb((0, 0, 255), TestImages.Rgb(pixels, toHeight, toWidth, toWidth - 1, y), tolerance: 2);
        }
    }

    [Fact]
    public void Large_jpeg_shrinks_through_reduced_decoding_without_losing_sides()
    {
        using var bitmap = TestImages.LeftRight(400, 300, SKColors.Red, SKColors.Blue);
        var pixels = ImageDecoder.Decode(TestImages.Jpeg(bitmap), new ImageShape(3, 12, 16));

        AssertRgb((255, 0, 0), TestImages.Rgb(pixels, 12, 16, 3, 6), tolerance: 10);
        AssertRgb((0, 0, 255), TestImages.Rgb(pixels, 12, 16, 12, 6), tolerance: 10);
    }

    [Fact]
    public void Shrinking_a_fine_checkerboard_averages_instead_of_aliasing()
    {
        // 1-pixel squares shrunk 7 times: sampling without averaging lands on whole black or white pixels.
        using var board = TestImages.FromFunction(63, 63, (x, y) => (x + y) % 2 == 0 ? SKColors.Black : SKColors.White);
        var pixels = ImageDecoder.Decode(TestImages.Png(board), new ImageShape(1, 9, 9));

        Assert.All(pixels, v => AssertClose(128, v, 40));
    }

    [Fact]
    public void Transparency_is_composited_over_white()
    {
        using var bitmap = TestImages.LeftRight(8, 8, SKColors.Transparent, new SKColor(255, 0, 0, 128));
        var pixels = ImageDecoder.Decode(TestImages.Png(bitmap), Rgb8);

        AssertRgb((255, 255, 255), TestImages.Rgb(pixels, 8, 8, 1, 1));
        AssertRgb((255, 127, 127), TestImages.Rgb(pixels, 8, 8, 6, 6), tolerance: 2);
    }

    [Theory]
    [InlineData(1, 8, 4, "left")] // upright already
    [InlineData(2, 8, 4, "right")] // mirrored left-right
    [InlineData(3, 8, 4, "right")] // turned half way
    [InlineData(6, 4, 8, "top")] // needs a quarter turn clockwise: the stored left side goes to the top
    [InlineData(8, 4, 8, "bottom")] // needs a quarter turn anticlockwise: the stored left side goes to the bottom
    public void Jpeg_exif_orientation_is_applied(ushort orientation, int width, int height, string redSide)
    {
        // Stored 8 wide x 4 tall, red left and blue right.
        using var bitmap = TestImages.LeftRight(8, 4, SKColors.Red, SKColors.Blue);
        var jpeg = TestImages.WithExifOrientation(TestImages.Jpeg(bitmap), orientation);
        var image = ImageDecoder.DecodeNative(jpeg);

        Assert.Equal((width, height), (image.Width, image.Height));
        var (redX, redY, blueX, blueY) = redSide switch
        {
            "left" => (0, 1, width - 1, 1),
            "right" => (width - 1, 1, 0, 1),
            "top" => (1, 0, 1, height - 1),
            _ => (1, height - 1, 1, 0),
        };
        AssertRgb((255, 0, 0), TestImages.Rgb(image.Pixels, height, width, redX, redY), tolerance: 12);
        AssertRgb((0, 0, 255), TestImages.Rgb(image.Pixels, height, width, blueX, blueY), tolerance: 12);
    }

    [Fact]
    public void Native_decode_keeps_size_and_the_files_own_channels()
    {
        using var temp = new TempDirectory();
        using var color = TestImages.LeftRight(10, 6, SKColors.Red, SKColors.Blue);
        var colorPath = TestImages.Write(temp.File("color.png"), TestImages.Png(color));
        var grayPath = temp.File("gray.png");
        ImageEncoder.WritePng(grayPath, Enumerable.Repeat((byte)77, 5 * 7).ToArray(), new ImageShape(1, 7, 5));

        var rgb = ImageDecoder.DecodeFileNative(colorPath);
        var gray = ImageDecoder.DecodeFileNative(grayPath);
        var grayAsRgb = ImageDecoder.DecodeFileNative(grayPath, channels: 3);

        Assert.Equal((10, 6, 3), (rgb.Width, rgb.Height, rgb.Channels));
        Assert.Equal(new ImageShape(3, 6, 10), rgb.Shape);
        Assert.Equal((5, 7, 1), (gray.Width, gray.Height, gray.Channels));
        Assert.All(gray.Pixels, v => Assert.Equal(77, v));
        Assert.Equal(3 * 5 * 7, grayAsRgb.Pixels.Length);
        Assert.All(grayAsRgb.Pixels, v => Assert.Equal(77, v));
    }

    [Fact]
    public void ResizeTo_changes_size_and_channels()
    {
        using var bitmap = TestImages.LeftRight(20, 10, SKColors.Red, SKColors.Blue);
        var image = ImageDecoder.DecodeNative(TestImages.Png(bitmap));

        var small = image.ResizeTo(new ImageShape(3, 5, 10));
        var gray = image.ResizeTo(new ImageShape(1, 10, 20));

        Assert.Equal((10, 5, 3), (small.Width, small.Height, small.Channels));
        AssertRgb((255, 0, 0), TestImages.Rgb(small.Pixels, 5, 10, 0, 2), tolerance: 2);
        AssertRgb((0, 0, 255), TestImages.Rgb(small.Pixels, 5, 10, 9, 2), tolerance: 2);
        Assert.Equal(76, gray.Pixels[0]);
        Assert.Equal(29, gray.Pixels[19]);
    }

    [Fact]
    public void Extensions_do_not_matter()
    {
        using var temp = new TempDirectory();
        using var red = TestImages.Solid(8, 8, SKColors.Red);
        var pngNamedJpg = TestImages.Write(temp.File("photo.jpg"), TestImages.Png(red));
        var noExtension = TestImages.Write(temp.File("photo"), TestImages.Bmp(red));

        Assert.Equal(255, ImageDecoder.DecodeFile(pngNamedJpg, Rgb8)[0]);
        Assert.Equal(255, ImageDecoder.DecodeFile(noExtension, Rgb8)[0]);
    }

    public static TheoryData<string, string, string> BadFiles()
    {
        using var bitmap = TestImages.LeftRight(32, 32, SKColors.Red, SKColors.Blue);
        var png = TestImages.Png(bitmap);
        // Noise, so that pixel data (not headers) fills most of the JPEG and a cut lands inside it.
        var noise = new Random(3);
        using var noisy = TestImages.FromFunction(64, 64, (_, _) => new SKColor((byte)noise.Next(256), (byte)noise.Next(256), (byte)noise.Next(256)));
        var jpeg = TestImages.Jpeg(noisy);
        var random = new byte[300];
        new Random(7).NextBytes(random);
        random[0] = 0; // keep it from starting with a magic number by chance
        return new TheoryData<string, string, string>
        {
            { "empty.png", "", "empty file" },
            { "random.jpg", Convert.ToHexString(random), "not an image: content starts with 00" },
            { "notes.png", Convert.ToHexString(Encoding.ASCII.GetBytes("just some text\n")), "looks like text" },
            { "page.jpg", Convert.ToHexString(Encoding.ASCII.GetBytes("<!DOCTYPE html>")), "not an image" },
            { "cut.png", Convert.ToHexString(png[..(png.Length / 2)]), "corrupt or truncated PNG: its pixel data" },
            { "header-only.png", Convert.ToHexString(png[..20]), "PNG" },
            { "cut.jpg", Convert.ToHexString(jpeg[..(jpeg.Length * 3 / 4)]), "corrupt or truncated JPEG: its pixel data" },
            { "header-only.jpg", Convert.ToHexString(jpeg[..40]), "corrupt or truncated JPEG" },
            { "garbage.jpg", Convert.ToHexString([0xFF, 0xD8, 0xFF, .. random]), "JPEG" },
            { "garbage.gif", Convert.ToHexString([.. "GIF89a"u8, .. random]), "GIF" },
        };
    }

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void Bad_files_throw_naming_the_file_and_problem(string fileName, string hex, string problem)
    {
        using var temp = new TempDirectory();
        var path = TestImages.Write(temp.File(fileName), Convert.FromHexString(hex));

        var error = Assert.Throws<ImageDecodeException>(() => ImageDecoder.DecodeFile(path, Rgb8));
        Assert.Contains(fileName, error.Message);
        Assert.Contains(problem, error.Message);
        Assert.Equal(path, error.Path);
        Assert.IsNotType<DatasetException>(error); // Imaging knows no datasets

        var native = Assert.Throws<ImageDecodeException>(() => ImageDecoder.DecodeFileNative(path));
        Assert.Contains(problem, native.Reason);
    }

    [Fact]
    public void Missing_file_throws_naming_it()
    {
        var error = Assert.Throws<ImageDecodeException>(() => ImageDecoder.DecodeFile("/nonexistent/cat.png", Rgb8));
        Assert.Contains("/nonexistent/cat.png", error.Message);
        Assert.Contains("not found", error.Message);
    }

    [Fact]
    public void Header_claiming_a_huge_size_is_refused_before_allocating()
    {
        using var bitmap = TestImages.Solid(4, 4, SKColors.Red);
        var png = TestImages.Png(bitmap);
        // IHDR (type at bytes 12..15, data at 16..28, CRC at 29..32): claim 60000 x 60000 pixels, with a valid CRC.
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(16), 60000);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(20), 60000);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(29), TestImages.Crc32(png.AsSpan(12, 17)));

        var error = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(png, Rgb8, "huge.png"));
        Assert.Contains("60000 x 60000 pixels is too large", error.Message);
    }

    [Fact]
    public void Shapes_other_than_gray_or_rgb_are_refused()
    {
        using var bitmap = TestImages.Solid(4, 4, SKColors.Red);
        var png = TestImages.Png(bitmap);
        Assert.Throws<ArgumentException>(() => ImageDecoder.Decode(png, new ImageShape(4, 8, 8)));
        Assert.Throws<ArgumentException>(() => ImageDecoder.Decode(png, new ImageShape(3, 0, 8)));
        Assert.Throws<ArgumentException>(() => ImageDecoder.Decode(png, Rgb8, new byte[10]));
    }
}
