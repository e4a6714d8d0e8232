using System.Formats.Tar;
using System.IO.Compression;
using ImageClassifier.Data;
using ImageClassifier.Data.Loading;
using ImageClassifier.Imaging;
using ImageClassifier.Tests.TestSupport;
using SkiaSharp;

namespace ImageClassifier.Tests.Reliability;

/// <summary>Dataset layouts and headers that used to be read silently wrong, or to allocate what they claimed.</summary>
public class DatasetLayoutTests
{
    static readonly ImageShape Shape = new(3, 8, 8);

    static void Images(TempDirectory dir, string folder, int count, SKColor color)
    {
        using var bitmap = TestImages.Solid(8, 8, color);
        for (int i = 0; i < count; i++) TestImages.Write(dir.File($"{folder}/{i}.png"), TestImages.Png(bitmap));
    }

    static TrainingDataOptions Options(TempDirectory dir) => new()
    {
        Locator = new DatasetLocator { CacheRoot = dir.File("cache"), SystemRoot = null, ImageFolder = new ImageFolderOptions(Shape) },
    };

    [Fact]
    public void A_class_folder_named_train_with_subfolders_beside_other_classes_is_an_error_not_a_split()
    {
        using var dir = new TempDirectory();
        Images(dir, "data/cat", 3, SKColors.Red);
        Images(dir, "data/dog", 3, SKColors.Blue);
        Images(dir, "data/train/engines", 3, SKColors.Green); // a class "train", its images in a subfolder
        var error = Assert.Throws<DatasetException>(() => ImageFolderReader.ReadSplits(dir.File("data"), new ImageFolderOptions(Shape)));
        Assert.Contains("ambiguous", error.Message);
        Assert.Contains("cat, dog", error.Message);
        Assert.Throws<DatasetException>(() => StreamingImageFolderSource.OpenSplits(dir.File("data"), Shape));

        // A real split layout still reads as one.
        using var split = new TempDirectory();
        Images(split, "data/train/cat", 2, SKColors.Red);
        Images(split, "data/train/dog", 2, SKColors.Blue);
        Images(split, "data/test/cat", 1, SKColors.Red);
        var splits = ImageFolderReader.ReadSplits(split.File("data"), new ImageFolderOptions(Shape)).Splits;
        Assert.Equal(4, splits.Train.Count);
        Assert.Equal(1, splits.Test!.Count);
    }

    [Fact]
    public void An_empty_class_folder_cannot_be_trained_on()
    {
        using var dir = new TempDirectory();
        Images(dir, "data/cat", 3, SKColors.Red);
        Images(dir, "data/dog", 3, SKColors.Blue);
        Directory.CreateDirectory(dir.File("data/empty"));
        File.WriteAllText(dir.File("data/empty/notes.txt"), "not an image");
        var error = Assert.Throws<DatasetException>(() => TrainingData.Load(dir.File("data"), Options(dir), 0, 1));
        Assert.Contains("class empty has no images", error.Message);
        var streamed = Assert.Throws<DatasetException>(() =>
            TrainingData.Load(dir.File("data"), Options(dir) with { Streaming = new StreamingOptions() }, 0, 1));
        Assert.Contains("class empty has no images", streamed.Message);
    }

    [Fact]
    public void One_out_of_range_label_byte_in_an_unnamed_idx_folder_does_not_make_a_201_class_model()
    {
        using var dir = new TempDirectory();
        string folder = dir.File("my-digits");
        IdxFiles.WriteDataset(folder, train: 40, test: 10, raw: true, classes: 10);
        string labels = Path.Combine(folder, "train-labels-idx1-ubyte");
        byte[] bytes = File.ReadAllBytes(labels);
        bytes[8 + 17] = 200; // one damaged label byte
        File.WriteAllBytes(labels, bytes);
        var error = Assert.Throws<DatasetException>(() => TrainingData.Load(folder, Options(dir), 0, 1));
        Assert.Contains("labels run from 0 to 200", error.Message);
        Assert.Contains("train-labels-idx1-ubyte", error.Message);
    }

    [Fact]
    public void A_cifar_archive_entry_declaring_9_gigabytes_is_refused_before_allocating()
    {
        using var dir = new TempDirectory();
        // A tar entry whose header declares 9.2 GB (a whole number of records) with a few bytes behind it.
        long declared = 3073L * 3_000_000;
        using (var file = File.Create(dir.File("cifar-10-binary.tar")))
        {
            var header = new byte[512];
            void Field(int offset, string text) => System.Text.Encoding.ASCII.GetBytes(text).CopyTo(header, offset);
            Field(0, "cifar-10-batches-bin/data_batch_1.bin");
            Field(100, "0000644\0"); Field(108, "0000000\0"); Field(116, "0000000\0");
            Field(124, Convert.ToString(declared, 8).PadLeft(11, '0') + "\0");
            Field(136, "00000000000\0");
            header[156] = (byte)'0';
            Field(257, "ustar\0"); Field(263, "00");
            for (int i = 148; i < 156; i++) header[i] = (byte)' ';
            int sum = header.Sum(b => b);
            Field(148, Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ");
            file.Write(header);
            file.Write(new byte[4096]);
        }
        var memory = new PeakMemory();
        var error = Assert.Throws<DatasetException>(() => Cifar10Reader.Read(dir.File("cifar-10-binary.tar")));
        Assert.Contains("records a batch file may hold", error.Message);
        Assert.True(memory.Growth < 200_000_000, $"memory grew by {memory.Growth / 1e6:F0} MB");
    }

    [Theory]
    [InlineData("../../escaped/data_batch_1.bin")]
    [InlineData("/tmp/absolute/data_batch_1.bin")]
    [InlineData("cifar-10-batches-bin/../../data_batch_1.bin")]
    public void Archive_entries_that_climb_out_of_their_folder_are_refused_and_nothing_is_written(string name)
    {
        using var dir = new TempDirectory();
        using (var output = File.Create(dir.File("inner/cifar-10-binary.tar.gz".Replace("inner/", ""))))
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(CifarFiles.Batch(0, 2)) });
        var before = Directory.GetFileSystemEntries(dir.Path, "*", SearchOption.AllDirectories);
        var error = Assert.Throws<DatasetException>(() => Cifar10Reader.Read(dir.File("cifar-10-binary.tar.gz")));
        Assert.Contains("points outside the archive's folder", error.Message);
        Assert.Equal(before, Directory.GetFileSystemEntries(dir.Path, "*", SearchOption.AllDirectories));
        Assert.False(File.Exists("/tmp/absolute/data_batch_1.bin"));
        Assert.False(Directory.Exists(Path.Combine(Path.GetTempPath(), "escaped")));
    }
}
