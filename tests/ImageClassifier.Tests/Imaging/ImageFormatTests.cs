using System.Text;
using ImageClassifier.Imaging;
using ImageClassifier.Tests.TestSupport;
using SkiaSharp;

namespace ImageClassifier.Tests.Imaging;

public class ImageFormatTests
{
    public static TheoryData<string, ImageFormat> EncodedImages()
    {
        using var bitmap = TestImages.LeftRight(8, 8, SKColors.Red, SKColors.Blue);
        return new TheoryData<string, ImageFormat>
        {
            { Convert.ToHexString(TestImages.Png(bitmap)), ImageFormat.Png },
            { Convert.ToHexString(TestImages.Jpeg(bitmap)), ImageFormat.Jpeg },
            { Convert.ToHexString(TestImages.WebP(bitmap)), ImageFormat.WebP },
            { Convert.ToHexString(TestImages.Bmp(bitmap)), ImageFormat.Bmp },
            { Convert.ToHexString(TestImages.Gif2x2RedBlue()), ImageFormat.Gif },
        };
    }

    [Theory]
    [MemberData(nameof(EncodedImages))]
    public void Detects_real_files_of_every_format(string hex, ImageFormat expected) =>
        Assert.Equal(expected, ImageFormats.Detect(Convert.FromHexString(hex)));

    [Theory]
    [InlineData("FFD8FFE0", ImageFormat.Jpeg)]
    [InlineData("89504E470D0A1A0A", ImageFormat.Png)]
    [InlineData("474946383761", ImageFormat.Gif)] // GIF87a
    [InlineData("474946383961", ImageFormat.Gif)] // GIF89a
    [InlineData("52494646000000005745425056503820", ImageFormat.WebP)] // RIFF....WEBPVP8
    [InlineData("424D00000000000000003600000028000000", ImageFormat.Bmp)] // BM + BITMAPINFOHEADER
    [InlineData("424D0000000000000000360000007C000000", ImageFormat.Bmp)] // BM + BITMAPV5HEADER
    public void Detects_magic_numbers(string hex, ImageFormat expected) =>
        Assert.Equal(expected, ImageFormats.Detect(Convert.FromHexString(hex)));

    [Theory]
    [InlineData("")]
    [InlineData("FFD8")] // JPEG's start, cut short
    [InlineData("89504E470D0A1A")] // PNG signature less its last byte
    [InlineData("474946383861")] // GIF88a is no GIF version
    [InlineData("52494646000000005741564566")] // RIFF....WAVE: audio
    [InlineData("424D")] // "BM" with nothing after it
    public void Rejects_near_misses(string hex) =>
        Assert.Null(ImageFormats.Detect(Convert.FromHexString(hex)));

    [Theory]
    [InlineData("BMW service notes, 2024 edition\n")] // starts with BM but is text
    [InlineData("<!DOCTYPE html><html>")]
    [InlineData("hello")]
    public void Text_is_not_an_image(string text) =>
        Assert.Null(ImageFormats.Detect(Encoding.ASCII.GetBytes(text)));

    [Fact]
    public void Detects_files_by_content_not_extension()
    {
        using var temp = new TempDirectory();
        using var bitmap = TestImages.Solid(4, 4, SKColors.Green);
        var pngNamedJpg = TestImages.Write(temp.File("photo.jpg"), TestImages.Png(bitmap));
        var textNamedPng = TestImages.Write(temp.File("image.png"), Encoding.ASCII.GetBytes("not really"));
        var empty = TestImages.Write(temp.File("empty.gif"), []);

        Assert.Equal(ImageFormat.Png, ImageFormats.DetectFile(pngNamedJpg));
        Assert.Null(ImageFormats.DetectFile(textNamedPng));
        Assert.Null(ImageFormats.DetectFile(empty));
    }

    [Fact]
    public void Names_formats_as_people_write_them()
    {
        Assert.Equal("JPEG", ImageFormat.Jpeg.DisplayName());
        Assert.Equal("WebP", ImageFormat.WebP.DisplayName());
    }
}
