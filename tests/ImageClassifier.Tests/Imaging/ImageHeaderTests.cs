using ImageClassifier.Imaging;
using ImageClassifier.Tests.TestSupport;
using SkiaSharp;

namespace ImageClassifier.Tests.Imaging;

/// <summary>An image's format and size from its header alone: what a server checks before it decodes anything.</summary>
public class ImageHeaderTests
{
    [Fact]
    public void Reads_format_and_size_of_each_format()
    {
        using var bitmap = TestImages.Solid(37, 21, SKColors.Orange);
        Assert.Equal(new ImageHeader(ImageFormat.Png, 37, 21), ImageHeader.Read(TestImages.Png(bitmap)));
        Assert.Equal(new ImageHeader(ImageFormat.Jpeg, 37, 21), ImageHeader.Read(TestImages.Jpeg(bitmap)));
        Assert.Equal(new ImageHeader(ImageFormat.WebP, 37, 21), ImageHeader.Read(TestImages.WebP(bitmap)));
        Assert.Equal(new ImageHeader(ImageFormat.Bmp, 37, 21), ImageHeader.Read(TestImages.Bmp(bitmap)));
    }

    [Fact]
    public void A_header_claiming_50000_by_50000_pixels_is_read_without_decoding_and_decoding_it_is_refused()
    {
        byte[] png = TestImages.PngClaiming(50_000, 50_000); // 2.5 gigapixels in 57 bytes
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var header = ImageHeader.Read(png, "huge.png");
        Assert.InRange(GC.GetTotalAllocatedBytes(precise: true) - before, 0, 1 << 20); // nothing near the image's size
        Assert.Equal(new ImageHeader(ImageFormat.Png, 50_000, 50_000), header);
        var error = Assert.Throws<ImageDecodeException>(() => ImageDecoder.DecodeNative(png, 1, "huge.png"));
        Assert.Contains("too large", error.Message);
    }

    [Fact]
    public void Not_an_image_or_a_cut_header_is_a_clear_error_naming_the_source()
    {
        var text = Assert.Throws<ImageDecodeException>(() => ImageHeader.Read("<!DOCTYPE html>"u8.ToArray(), "page.png"));
        Assert.Equal("page.png: not an image: content starts with 3C 21 44 4F 43 54 59 50 (\"<!DOCTYP\", looks like text); expected JPEG, PNG, BMP, GIF or WebP", text.Message);
        using var bitmap = TestImages.Solid(8, 8, SKColors.Red);
        var cut = Assert.Throws<ImageDecodeException>(() => ImageHeader.Read(TestImages.Png(bitmap)[..12], "cut.png"));
        Assert.StartsWith("cut.png: corrupt or truncated PNG", cut.Message);
        Assert.Throws<ImageDecodeException>(() => ImageHeader.Read([], "empty.png"));
    }
}
