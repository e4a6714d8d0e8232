using ImageClassifier.Data;
using ImageClassifier.Imaging;
using ImageClassifier.Tests.TestSupport;

namespace ImageClassifier.Tests.Data;

public class Cifar10ReaderTests
{
    // Batches of different sizes: the reader must accept any whole number of records, in batch order.
    private static readonly int[] Records = [3, 2, 4, 1, 2, 5];

    private static void AssertRoundTrip(DatasetSplits splits)
    {
        Assert.Equal(new ImageShape(3, 32, 32), splits.Train.Shape);
        Assert.Equal(12, splits.Train.Count);
        Assert.Equal(5, splits.Test!.Count);
        Assert.Equal(Cifar10Reader.StandardClassNames, splits.Train.ClassNames);

        // Train is batches 1..5 in order: image k is record r of batch b.
        int k = 0;
        for (int b = 0; b < 5; b++)
            for (int r = 0; r < Records[b]; r++, k++)
                AssertImage(splits.Train, k, b, r);
        for (int r = 0; r < 5; r++) AssertImage(splits.Test, r, 5, r);
    }

    private static void AssertImage(ImageDataset data, int index, int batch, int record)
    {
        Assert.Equal((batch + record) % 10, data.Labels[index]);
        var image = data.Image(index);
        // R, G, B planes land in channels 0, 1, 2, each row-major.
        Assert.All(image[..1024].ToArray(), v => Assert.Equal(10 * batch + record, v));
        Assert.All(image[1024..2048].ToArray(), v => Assert.Equal(100 + record, v));
        Assert.Equal(200 + 33 % 50, image[2048 + 1 * 32 + 1]);
        Assert.Equal(200 + 1023 % 50, image[^1]);
    }

    [Fact]
    public void Reads_the_batch_folder_and_its_parent()
    {
        using var dir = new TempDirectory();
        string folder = CifarFiles.WriteFolder(dir.Path, Records);
        AssertRoundTrip(Cifar10Reader.Read(folder));
        AssertRoundTrip(Cifar10Reader.Read(dir.Path));
    }

    [Fact]
    public void Reads_the_tar_gz_directly_and_from_its_folder()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("cifar-10-binary.tar.gz"), CifarFiles.Archive(Records));
        AssertRoundTrip(Cifar10Reader.Read(dir.File("cifar-10-binary.tar.gz")));
        AssertRoundTrip(Cifar10Reader.Read(dir.Path));
        Assert.Single(Directory.EnumerateFileSystemEntries(dir.Path)); // nothing extracted
    }

    [Fact]
    public void Class_names_come_from_batches_meta_or_fall_back()
    {
        using var dir = new TempDirectory();
        string folder = CifarFiles.WriteFolder(dir.Path, Records, meta: "a\nb\n\nc\nd\ne\nf\ng\nh\ni\nj\n");
        Assert.Equal(["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"], Cifar10Reader.Read(folder).Train.ClassNames);

        File.Delete(Path.Combine(folder, "batches.meta.txt"));
        Assert.Equal(Cifar10Reader.StandardClassNames, Cifar10Reader.Read(folder).Train.ClassNames);
    }

    [Fact]
    public void Truncated_batch_file()
    {
        using var dir = new TempDirectory();
        string folder = CifarFiles.WriteFolder(dir.Path, Records);
        string batch = Path.Combine(folder, "data_batch_3.bin");
        File.WriteAllBytes(batch, File.ReadAllBytes(batch)[..5000]);

        var e = Assert.Throws<DatasetException>(() => Cifar10Reader.Read(folder));
        Assert.Equal(batch, e.Path);
        Assert.Contains("truncated or corrupt: 5000 bytes is not a whole number of 3073-byte records", e.Message);
    }

    [Fact]
    public void Missing_batch_files_are_named()
    {
        using var dir = new TempDirectory();
        string folder = CifarFiles.WriteFolder(dir.Path, Records);
        File.Delete(Path.Combine(folder, "data_batch_2.bin"));
        File.Delete(Path.Combine(folder, "test_batch.bin"));

        var e = Assert.Throws<DatasetException>(() => Cifar10Reader.Read(dir.Path));
        Assert.Equal(folder, e.Path);
        Assert.Contains("missing data_batch_2.bin, test_batch.bin", e.Message);
    }

    [Fact]
    public void Missing_batch_in_the_archive()
    {
        using var dir = new TempDirectory();
        string archive = dir.File("cifar-10-binary.tar.gz");
        File.WriteAllBytes(archive, CifarFiles.Archive(Records, leaveOut: ["data_batch_4.bin"]));

        var e = Assert.Throws<DatasetException>(() => Cifar10Reader.Read(archive));
        Assert.Equal(archive, e.Path);
        Assert.Contains("lacks data_batch_4.bin", e.Message);
    }

    [Fact]
    public void Truncated_archive()
    {
        using var dir = new TempDirectory();
        string archive = dir.File("cifar-10-binary.tar.gz");
        byte[] whole = CifarFiles.Archive(Records);
        File.WriteAllBytes(archive, whole[..(whole.Length * 2 / 3)]);

        var e = Assert.Throws<DatasetException>(() => Cifar10Reader.Read(archive));
        Assert.StartsWith(archive, e.Message);
        Assert.Matches("truncated|corrupt|lacks", e.Message);
    }

    [Fact]
    public void Label_out_of_range()
    {
        using var dir = new TempDirectory();
        string folder = CifarFiles.WriteFolder(dir.Path, Records);
        string batch = Path.Combine(folder, "test_batch.bin");
        byte[] bytes = File.ReadAllBytes(batch);
        bytes[2 * 3073] = 10;
        File.WriteAllBytes(batch, bytes);

        var e = Assert.Throws<DatasetException>(() => Cifar10Reader.Read(folder));
        Assert.Equal(batch, e.Path);
        Assert.Contains("record 2 has label 10", e.Message);
    }

    [Fact]
    public void Truncated_record_inside_the_archive_names_the_entry()
    {
        using var dir = new TempDirectory();
        string archive = dir.File("cifar-10-binary.tar.gz");
        File.WriteAllBytes(archive, CifarFiles.Archive(Records, batchBytes: b => CifarFiles.Batch(b, Records[b])[..(b == 1 ? 4000 : ^0)]));

        var e = Assert.Throws<DatasetException>(() => Cifar10Reader.Read(archive));
        Assert.Contains("cifar-10-batches-bin/data_batch_2.bin", e.Message);
        Assert.Contains("4000 bytes is not a whole number", e.Message);
    }

    [Fact]
    public void Not_a_cifar_folder_or_no_such_path()
    {
        using var dir = new TempDirectory();
        Assert.Contains("not a CIFAR-10 folder", Assert.Throws<DatasetException>(() => Cifar10Reader.Read(dir.Path)).Message);
        var e = Assert.Throws<DatasetException>(() => Cifar10Reader.Read(dir.File("absent")));
        Assert.Contains("no such file or folder", e.Message);

        string folder = CifarFiles.WriteFolder(dir.Path, Records);
        e = Assert.Throws<DatasetException>(() => Cifar10Reader.Read(Path.Combine(folder, "data_batch_1.bin")));
        Assert.Contains("a single batch file: give the folder holding all six", e.Message);
    }

    [Fact]
    public void A_file_that_is_not_a_tar_archive()
    {
        using var dir = new TempDirectory();
        string path = dir.File("cifar-10-binary.tar.gz");
        File.WriteAllBytes(path, IdxFiles.Gzip(new byte[3000].Select((_, i) => (byte)(i * 13)).ToArray()));
        var e = Assert.Throws<DatasetException>(() => Cifar10Reader.Read(path));
        Assert.Equal(path, e.Path);
        Assert.Contains("corrupt or truncated archive", e.Message);
    }
}
