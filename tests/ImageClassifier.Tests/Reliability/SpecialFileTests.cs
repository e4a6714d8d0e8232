using ImageClassifier.Data;
using ImageClassifier.Data.Loading;
using ImageClassifier.Imaging;
using ImageClassifier.Tests.TestSupport;
using SkiaSharp;

namespace ImageClassifier.Tests.Reliability;

/// <summary>
/// FIFOs, devices and symbolic links in image folders: skipped with a reason, without opening them for reading
/// (a FIFO blocks its reader until a writer comes; /dev/zero never ends), and links never read a dataset twice.
/// </summary>
public class SpecialFileTests
{
    static readonly ImageShape Shape = new(3, 8, 8);
    static readonly TimeSpan NoHang = TimeSpan.FromSeconds(20);

    static string Folder(TempDirectory dir)
    {
        using var red = TestImages.Solid(8, 8, SKColors.Red);
        using var blue = TestImages.Solid(8, 8, SKColors.Blue);
        for (int i = 0; i < 3; i++)
        {
            TestImages.Write(dir.File($"data/cat/{i}.png"), TestImages.Png(red));
            TestImages.Write(dir.File($"data/dog/{i}.png"), TestImages.Png(blue));
        }
        return dir.File("data");
    }

    static T Within<T>(Func<T> action, string what)
    {
        var task = Task.Run(action);
        Assert.True(task.Wait(NoHang), $"{what} did not finish within {NoHang.TotalSeconds} s (a hang)");
        return task.Result;
    }

    [SkippableFact]
    public void A_fifo_named_x_jpg_in_an_image_folder_is_skipped_unopened()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "FIFOs are made with mkfifo here");
        using var dir = new TempDirectory();
        string root = Folder(dir);
        string fifo = SpecialFiles.Fifo(Path.Combine(root, "cat", "x.jpg"));

        var (dataset, skipped) = Within(() => ImageFolderReader.Read(root, new ImageFolderOptions(Shape)), "reading the folder");
        Assert.Equal(6, dataset.Count);
        Assert.Contains(skipped, s => s.Path == fifo && s.Reason.Contains("FIFO"));

        var streamed = Within(() => StreamingImageFolderSource.Open(root, Shape), "listing the folder for streaming");
        Assert.Equal(6, streamed.Count);
        Assert.Contains(streamed.Skipped, s => s.Path == fifo && s.Reason.Contains("FIFO"));

        var batch = Within(() => ImageFileInputs.Read([fifo], Shape), "predicting on the FIFO");
        Assert.Contains("FIFO", Assert.Single(batch.Skipped).Reason);

        var inspect = Within(() => CliRunner.Run("inspect", fifo, "-o", dir.File("views")), "inspecting the FIFO");
        Assert.Equal(1, inspect.ExitCode);
        Assert.Contains("FIFO", inspect.Error);
        Assert.DoesNotContain("   at ", inspect.Error);
    }

    [SkippableFact]
    public void A_symlink_to_dev_zero_named_jpg_is_skipped_without_reading_it()
    {
        Skip.IfNot(OperatingSystem.IsLinux() && File.Exists("/dev/zero"), "needs /dev/zero");
        using var dir = new TempDirectory();
        string root = Folder(dir);
        string zero = SpecialFiles.LinkTo(Path.Combine(root, "dog", ".jpg"), "/dev/zero");
        var memory = new PeakMemory();

        var (dataset, skipped) = Within(() => ImageFolderReader.Read(root, new ImageFolderOptions(Shape)), "reading the folder");
        Assert.Equal(6, dataset.Count);
        Assert.Contains(skipped, s => s.Path == zero && s.Reason.Contains("character device"));
        var streamed = Within(() => StreamingImageFolderSource.Open(root, Shape), "listing the folder for streaming");
        Assert.Contains(streamed.Skipped, s => s.Path == zero);
        Assert.Throws<ImageDecodeException>(() => ImageDecoder.DecodeFileNative(zero));
        Assert.True(memory.Growth < 200_000_000, $"memory grew by {memory.Growth / 1e6:F0} MB");
    }

    [Fact]
    public void Symlink_loops_in_an_image_folder_end_and_are_listed()
    {
        using var dir = new TempDirectory();
        string root = Folder(dir);
        string self = SpecialFiles.LinkTo(Path.Combine(root, "cat", "self"), Path.Combine(root, "cat", "self")); // a link to itself
        SpecialFiles.LinkTo(Path.Combine(root, "dog", "a"), Path.Combine(root, "dog", "b"));
        SpecialFiles.LinkTo(Path.Combine(root, "dog", "b"), Path.Combine(root, "dog", "a"));
        Directory.CreateSymbolicLink(Path.Combine(root, "dog", "up"), Path.Combine(root, "dog")); // a folder loop

        var (dataset, skipped) = Within(() => ImageFolderReader.Read(root, new ImageFolderOptions(Shape)), "reading the folder");
        Assert.Equal(6, dataset.Count);
        Assert.Contains(skipped, s => s.Path == self);
        Assert.Contains(skipped, s => s.Path.EndsWith("up") && s.Reason.Contains("symbolic link"));
        var streamed = Within(() => StreamingImageFolderSource.Open(root, Shape), "listing the folder for streaming");
        Assert.Equal(6, streamed.Count);
    }

    [Fact]
    public void A_symlink_to_the_dataset_root_inside_a_class_folder_adds_no_images()
    {
        using var dir = new TempDirectory();
        string root = Folder(dir);
        string link = Path.Combine(root, "cat", "everything");
        Directory.CreateSymbolicLink(link, root);

        var (dataset, skipped) = ImageFolderReader.Read(root, new ImageFolderOptions(Shape));
        Assert.Equal([3, 3], dataset.ClassCounts());
        Assert.Contains(skipped, s => s.Path == link && s.Reason.Contains("read again"));
        var streamed = StreamingImageFolderSource.Open(root, Shape);
        Assert.Equal(6, streamed.Count);

        // A link to images outside the dataset is still followed: datasets are often assembled that way.
        using var green = TestImages.Solid(8, 8, SKColors.Green);
        TestImages.Write(dir.File("elsewhere/1.png"), TestImages.Png(green));
        Directory.CreateSymbolicLink(Path.Combine(root, "dog", "more"), dir.File("elsewhere"));
        Assert.Equal([3, 4], ImageFolderReader.Read(root, new ImageFolderOptions(Shape)).Dataset.ClassCounts());
    }
}
