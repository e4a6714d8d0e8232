using ImageClassifier.Data;
using ImageClassifier.Imaging;
using ImageClassifier.Tests.TestSupport;

namespace ImageClassifier.Tests.Data;

public class IdxReaderTests
{
    private static readonly string[] Digits = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

    private static (string Images, string Labels) Write(TempDirectory dir, byte[] images, byte[] labels, bool gzip)
    {
        string imagesPath = dir.File("images.bin"), labelsPath = dir.File("labels.bin");
        File.WriteAllBytes(imagesPath, gzip ? IdxFiles.Gzip(images) : images);
        File.WriteAllBytes(labelsPath, gzip ? IdxFiles.Gzip(labels) : labels);
        return (imagesPath, labelsPath);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Reads_pixels_and_labels_raw_or_gzip_whatever_the_extension(bool gzip)
    {
        using var dir = new TempDirectory();
        int[] labels = [3, 1, 4, 1, 5];
        var (images, labelsPath) = Write(dir, IdxFiles.Images(5, 4, 3), IdxFiles.Labels(labels), gzip);

        var data = IdxReader.Read(images, labelsPath, "tiny", Digits);

        Assert.Equal(new ImageShape(1, 4, 3), data.Shape);
        Assert.Equal(5, data.Count);
        Assert.Equal(labels, data.Labels);
        Assert.Equal(IdxFiles.Pixels(5, 4, 3), data.Pixels);
        Assert.Equal((byte)((2 * 31 + 5 * 7) % 256), data.Image(2)[5]);
        Assert.Equal("tiny", data.Name);
    }

    [Fact]
    public void Truncated_images_file_says_how_many_bytes_are_missing()
    {
        using var dir = new TempDirectory();
        byte[] images = IdxFiles.Images(10, 28, 28)[..(16 + 1234)];
        var (imagesPath, labelsPath) = Write(dir, images, IdxFiles.Labels(new int[10]), gzip: false);

        var e = Assert.Throws<DatasetException>(() => IdxReader.Read(imagesPath, labelsPath, "t", Digits));
        Assert.Equal(imagesPath, e.Path);
        Assert.Contains("truncated: header says 10 images of 28x28 (7840 bytes) but only 1234 bytes follow; re-download", e.Message);
    }

    [Fact]
    public void Truncated_gzip_file_is_reported_as_truncated_or_corrupt()
    {
        using var dir = new TempDirectory();
        byte[] gz = IdxFiles.Gzip(IdxFiles.Images(10, 28, 28));
        string imagesPath = dir.File("images.gz"), labelsPath = dir.File("labels.gz");
        File.WriteAllBytes(imagesPath, gz[..(gz.Length / 2)]);
        File.WriteAllBytes(labelsPath, IdxFiles.Gzip(IdxFiles.Labels(new int[10])));

        var e = Assert.Throws<DatasetException>(() => IdxReader.Read(imagesPath, labelsPath, "t", Digits));
        Assert.StartsWith(imagesPath + ": ", e.Message);
        Assert.Matches("truncated|corrupt", e.Message);
        Assert.Contains("re-download", e.Message);
    }

    [Fact]
    public void Truncated_labels_file()
    {
        using var dir = new TempDirectory();
        var (imagesPath, labelsPath) = Write(dir, IdxFiles.Images(10, 2, 2), IdxFiles.Labels(new int[10])[..12], gzip: true);

        var e = Assert.Throws<DatasetException>(() => IdxReader.Read(imagesPath, labelsPath, "t", Digits));
        Assert.Equal(labelsPath, e.Path);
        Assert.Contains("header says 10 labels (10 bytes) but only 4 bytes follow", e.Message);
    }

    [Fact]
    public void Extra_bytes_after_the_data_are_an_error()
    {
        using var dir = new TempDirectory();
        var (imagesPath, labelsPath) = Write(dir, [.. IdxFiles.Images(2, 2, 2), 1, 2, 3], IdxFiles.Labels([0, 1]), gzip: false);

        var e = Assert.Throws<DatasetException>(() => IdxReader.Read(imagesPath, labelsPath, "t", Digits));
        Assert.Contains("3 more bytes follow", e.Message);
    }

    [Fact]
    public void Wrong_magic_is_named_with_what_was_expected()
    {
        using var dir = new TempDirectory();
        var (imagesPath, labelsPath) = Write(dir, [0x12, 0x34, 0x56, 0x78, .. new byte[20]], IdxFiles.Labels([0]), gzip: false);

        var e = Assert.Throws<DatasetException>(() => IdxReader.Read(imagesPath, labelsPath, "t", Digits));
        Assert.Equal(imagesPath, e.Path);
        Assert.Contains("0x12345678", e.Message);
        Assert.Contains("0x00000803", e.Message);
    }

    [Fact]
    public void Swapped_images_and_labels_are_recognised()
    {
        using var dir = new TempDirectory();
        var (imagesPath, labelsPath) = Write(dir, IdxFiles.Images(2, 2, 2), IdxFiles.Labels([0, 1]), gzip: true);

        var e = Assert.Throws<DatasetException>(() => IdxReader.Read(labelsPath, imagesPath, "t", Digits));
        Assert.Contains("swapped", e.Message);
    }

    [Fact]
    public void Unsupported_data_type_and_wrong_dimension_count()
    {
        using var dir = new TempDirectory();
        var (floats, labels) = Write(dir, IdxFiles.Header(0x00000D03, 1, 1, 1), IdxFiles.Labels([0]), gzip: false);
        Assert.Contains("data type 0x0D", Assert.Throws<DatasetException>(() => IdxReader.Read(floats, labels, "t", Digits)).Message);

        File.WriteAllBytes(floats, [.. IdxFiles.Header(0x00000802, 1, 4), 0, 0, 0, 0]);
        Assert.Contains("2 dimensions", Assert.Throws<DatasetException>(() => IdxReader.Read(floats, labels, "t", Digits)).Message);
    }

    [Fact]
    public void Zero_or_negative_dimensions_and_short_files()
    {
        using var dir = new TempDirectory();
        var (imagesPath, labelsPath) = Write(dir, IdxFiles.Header(0x00000803, 1, 0, 28), IdxFiles.Labels([0]), gzip: false);
        Assert.Contains("size 0 for dimension 2", Assert.Throws<DatasetException>(() => IdxReader.Read(imagesPath, labelsPath, "t", Digits)).Message);

        File.WriteAllBytes(imagesPath, IdxFiles.Header(0x00000803, -5, 28, 28));
        Assert.Contains("size -5", Assert.Throws<DatasetException>(() => IdxReader.Read(imagesPath, labelsPath, "t", Digits)).Message);

        File.WriteAllBytes(imagesPath, [0, 0]);
        Assert.Contains("too short", Assert.Throws<DatasetException>(() => IdxReader.Read(imagesPath, labelsPath, "t", Digits)).Message);

        File.WriteAllBytes(imagesPath, IdxFiles.Header(0x00000803, 1, 28, 28)[..10]);
        Assert.Contains("truncated inside its header", Assert.Throws<DatasetException>(() => IdxReader.Read(imagesPath, labelsPath, "t", Digits)).Message);
    }

    [Fact]
    public void Huge_header_in_a_small_gzip_is_truncated_without_allocating_it()
    {
        using var dir = new TempDirectory();
        var (imagesPath, labelsPath) = Write(dir, IdxFiles.Header(0x00000803, 2_000_000, 1000, 1000), IdxFiles.Labels([0]), gzip: true);
        var e = Assert.Throws<DatasetException>(() => IdxReader.Read(imagesPath, labelsPath, "t", Digits));
        Assert.Contains("more than", e.Message);

        File.WriteAllBytes(imagesPath, IdxFiles.Gzip(IdxFiles.Header(0x00000803, 1000, 1000, 1000)));
        Assert.Contains("but only 0 bytes follow", Assert.Throws<DatasetException>(() => IdxReader.Read(imagesPath, labelsPath, "t", Digits)).Message);
    }

    [Fact]
    public void Image_and_label_counts_must_match()
    {
        using var dir = new TempDirectory();
        var (imagesPath, labelsPath) = Write(dir, IdxFiles.Images(3, 2, 2), IdxFiles.Labels([0, 1]), gzip: false);

        var e = Assert.Throws<DatasetException>(() => IdxReader.Read(imagesPath, labelsPath, "t", Digits));
        Assert.Equal(labelsPath, e.Path);
        Assert.Contains("holds 2 labels but the images file", e.Message);
        Assert.Contains("holds 3 images", e.Message);
    }

    [Fact]
    public void Label_outside_the_classes()
    {
        using var dir = new TempDirectory();
        var (imagesPath, labelsPath) = Write(dir, IdxFiles.Images(2, 2, 2), IdxFiles.Labels([1, 12]), gzip: false);

        var e = Assert.Throws<DatasetException>(() => IdxReader.Read(imagesPath, labelsPath, "t", Digits));
        Assert.Equal(labelsPath, e.Path);
        Assert.Contains("label 12 of image 1 is outside the 10 classes", e.Message);
    }

    [Theory]
    [InlineData("block type")]
    [InlineData("crc")]
    public void Corrupt_gzip_stream(string damage)
    {
        using var dir = new TempDirectory();
        byte[] gz = IdxFiles.Gzip(IdxFiles.Images(50, 28, 28));
        if (damage == "block type") gz[10] = 0x07; // first deflate block: final, reserved type 11
        else gz[^8] ^= 0xff;                        // the CRC-32 of the trailer
        var (imagesPath, labelsPath) = Write(dir, [], IdxFiles.Labels(new int[50]), gzip: false);
        File.WriteAllBytes(imagesPath, gz);

        var e = Assert.Throws<DatasetException>(() => IdxReader.Read(imagesPath, labelsPath, "t", Digits));
        Assert.Equal(imagesPath, e.Path);
        Assert.True(e.Message.Contains("corrupt gzip data"), e.Message);
    }

    [Fact]
    public void Missing_file()
    {
        using var dir = new TempDirectory();
        var e = Assert.Throws<DatasetException>(() => IdxReader.Read(dir.File("nope.gz"), dir.File("nope2.gz"), "t", Digits));
        Assert.Equal(dir.File("nope.gz"), e.Path);
        Assert.Contains("no such file", e.Message);

        e = Assert.Throws<DatasetException>(() => IdxReader.Read(dir.Path, dir.File("nope2.gz"), "t", Digits));
        Assert.Contains("is a folder where a file was expected", e.Message);
    }
}
