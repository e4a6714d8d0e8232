using ImageClassifier.Data;
using ImageClassifier.Imaging;
using ImageClassifier.Tests.TestSupport;
using SkiaSharp;

namespace ImageClassifier.Tests.Imaging;

public class ImageEncoderTests
{
    private static byte[] Pattern(ImageShape shape) =>
        Enumerable.Range(0, shape.Size).Select(i => (byte)(i * 37 % 256)).ToArray();

    [Theory]
    [InlineData(3)]
    [InlineData(1)]
    public void Png_round_trips_planar_bytes_exactly(int channels)
    {
        using var temp = new TempDirectory();
        var shape = new ImageShape(channels, 5, 7);
        var pixels = Pattern(shape);
        var path = temp.File("out/sub/picture.png");

        ImageEncoder.WritePng(path, pixels, shape);

        Assert.Equal(ImageFormat.Png, ImageFormats.DetectFile(path));
        var back = ImageDecoder.DecodeFileNative(path);
        Assert.Equal(shape, back.Shape);
        Assert.Equal(pixels, back.Pixels);
    }

    [Fact]
    public void Bitmap_holds_the_planes_as_pixels()
    {
        var shape = new ImageShape(3, 2, 3);
        byte[] pixels = [
            10, 11, 12, 13, 14, 15, // R
            20, 21, 22, 23, 24, 25, // G
            30, 31, 32, 33, 34, 35, // B
        ];
        using var bitmap = ImageEncoder.ToBitmap(pixels, shape);

        Assert.Equal((3, 2), (bitmap.Width, bitmap.Height));
        Assert.Equal(new SKColor(10, 20, 30), bitmap.GetPixel(0, 0));
        Assert.Equal(new SKColor(15, 25, 35), bitmap.GetPixel(2, 1));
    }

    [Fact]
    public void Gray_bitmap_is_gray8()
    {
        using var bitmap = ImageEncoder.ToBitmap(new byte[] { 0, 128, 255, 7 }, new ImageShape(1, 2, 2));
        Assert.Equal(SKColorType.Gray8, bitmap.ColorType);
        Assert.Equal(new SKColor(128, 128, 128), bitmap.GetPixel(1, 0));
    }

    [Fact]
    public void Wrong_length_or_channels_are_refused()
    {
        Assert.Throws<ArgumentException>(() => ImageEncoder.EncodePng(new byte[5], new ImageShape(3, 2, 2)));
        Assert.Throws<ArgumentException>(() => ImageEncoder.EncodePng(new byte[8], new ImageShape(2, 2, 2)));
    }
}
