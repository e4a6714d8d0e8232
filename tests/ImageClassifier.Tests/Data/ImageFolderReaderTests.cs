using System.Text;
using ImageClassifier.Data;
using ImageClassifier.Imaging;
using ImageClassifier.Tests.TestSupport;
using SkiaSharp;

namespace ImageClassifier.Tests.Data;

public class ImageFolderReaderTests
{
    private static readonly ImageShape Rgb = new(3, 8, 8);

    // Each class has its own colour, so a label can be checked against its image.
    private static readonly Dictionary<string, SKColor> ClassColors = new()
    {
        ["dog"] = SKColors.Blue,
        ["cat"] = SKColors.Lime,
        ["bird"] = SKColors.Red,
    };

    /// <summary>Writes <paramref name="count"/> images per class, cycling through the formats, under <paramref name="root"/>.</summary>
    private static void WriteClasses(string root, int count, params string[] classes)
    {
        foreach (var name in classes)
        {
            using var bitmap = TestImages.Solid(12, 10, ClassColors[name]);
            for (int i = 0; i < count; i++)
            {
                var bytes = (i % 4) switch
                {
                    0 => TestImages.Png(bitmap),
                    1 => TestImages.Jpeg(bitmap),
                    2 => TestImages.Bmp(bitmap),
                    _ => TestImages.WebP(bitmap),
                };
                // Extensions deliberately do not match the content.
                TestImages.Write(Path.Combine(root, name, $"img{i:D2}.jpg"), bytes);
            }
        }
    }

    private static (byte R, byte G, byte B) Center(ImageDataset dataset, int index) =>
        TestImages.Rgb(dataset.Image(index), dataset.Shape.Height, dataset.Shape.Width, dataset.Shape.Width / 2, dataset.Shape.Height / 2);

    private static void AssertLabelsMatchColors(ImageDataset dataset)
    {
        for (int i = 0; i < dataset.Count; i++)
        {
            var expected = ClassColors[dataset.ClassNames[dataset.Labels[i]]];
            var (r, g, b) = Center(dataset, i);
            Assert.True(Math.Abs(r - expected.Red) < 12 && Math.Abs(g - expected.Green) < 12 && Math.Abs(b - expected.Blue) < 12,
                $"image {i} labelled {dataset.ClassNames[dataset.Labels[i]]} has colour ({r}, {g}, {b})");
        }
    }

    [Fact]
    public void Reads_classes_sorted_with_matching_labels()
    {
        using var temp = new TempDirectory();
        WriteClasses(temp.Path, 4, "dog", "cat", "bird");

        var (dataset, skipped) = ImageFolderReader.Read(temp.Path, new ImageFolderOptions(Rgb));

        Assert.Equal(["bird", "cat", "dog"], dataset.ClassNames);
        Assert.Equal(12, dataset.Count);
        Assert.Equal(Rgb, dataset.Shape);
        Assert.Equal([4, 4, 4], dataset.ClassCounts());
        Assert.Equal([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2], dataset.Labels);
        Assert.Empty(skipped);
        Assert.Equal(Path.GetFileName(temp.Path), dataset.Name);
        AssertLabelsMatchColors(dataset);
    }

    [Fact]
    public void Order_does_not_depend_on_the_number_of_workers()
    {
        using var temp = new TempDirectory();
        WriteClasses(temp.Path, 6, "cat", "dog");
        // Files in one class differ, so a change in order shows in the pixels.
        for (int i = 0; i < 6; i++)
        {
            using var shade = TestImages.Solid(8, 8, new SKColor((byte)(i * 40), 0, 0));
            TestImages.Write(Path.Combine(temp.Path, "cat", $"shade{i}.png"), TestImages.Png(shade));
        }

        var one = ImageFolderReader.Read(temp.Path, new ImageFolderOptions(Rgb, Workers: 1)).Dataset;
        var many = ImageFolderReader.Read(temp.Path, new ImageFolderOptions(Rgb, Workers: 4)).Dataset;

        Assert.Equal(one.Labels, many.Labels);
        Assert.Equal(one.Pixels, many.Pixels);
        // img00..img05 sort before shade0..shade5.
        Assert.Equal(200, Center(one, 11).R);
    }

    [Fact]
    public void Reads_grayscale()
    {
        using var temp = new TempDirectory();
        WriteClasses(temp.Path, 2, "bird", "cat");

        var dataset = ImageFolderReader.Read(temp.Path, new ImageFolderOptions(new ImageShape(1, 6, 6))).Dataset;

        Assert.Equal(6 * 6 * 4, dataset.Pixels.Length);
        Assert.Equal(76, dataset.Image(0)[0]); // red bird, by luma
        Assert.Equal(150, dataset.Image(2)[0]); // lime cat
    }

    [Fact]
    public void Skips_and_lists_files_that_are_not_readable_images()
    {
        using var temp = new TempDirectory();
        WriteClasses(temp.Path, 2, "cat", "dog");
        TestImages.Write(Path.Combine(temp.Path, "cat", "README.txt"), Encoding.ASCII.GetBytes("cats, photographed in 2024"));
        TestImages.Write(Path.Combine(temp.Path, "dog", ".DS_Store"), [0, 0, 0, 1, 0x42, 0x75, 0x64, 0x31]);
        TestImages.Write(Path.Combine(temp.Path, "dog", "fake.png"), Encoding.ASCII.GetBytes("<html>404</html>"));
        var png = TestImages.Png(TestImages.LeftRight(32, 32, SKColors.Red, SKColors.Blue));
        TestImages.Write(Path.Combine(temp.Path, "dog", "cut.png"), png[..(png.Length / 2)]);

        var (dataset, skipped) = ImageFolderReader.Read(temp.Path, new ImageFolderOptions(Rgb));

        Assert.Equal(4, dataset.Count);
        Assert.Equal([0, 0, 1, 1], dataset.Labels);
        AssertLabelsMatchColors(dataset);
        Assert.Equal(
            ["cat/README.txt", "dog/.DS_Store", "dog/cut.png", "dog/fake.png"],
            skipped.Select(s => Path.GetRelativePath(temp.Path, s.Path)));
        Assert.Contains("not an image", skipped[0].Reason);
        Assert.Contains("corrupt or truncated PNG", skipped[2].Reason);
        Assert.DoesNotContain(temp.Path, skipped[2].Reason); // the path is in Path, not repeated in Reason
    }

    [Fact]
    public void Strict_throws_naming_the_first_bad_file_in_path_order()
    {
        using var temp = new TempDirectory();
        WriteClasses(temp.Path, 3, "cat", "dog");
        TestImages.Write(Path.Combine(temp.Path, "dog", "zz-notes.txt"), Encoding.ASCII.GetBytes("later"));
        TestImages.Write(Path.Combine(temp.Path, "cat", "broken.jpg"), [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]);

        var error = Assert.Throws<ImageDecodeException>(() =>
            ImageFolderReader.Read(temp.Path, new ImageFolderOptions(Rgb, Strict: true, Workers: 3)));

        Assert.Equal(Path.Combine(temp.Path, "cat", "broken.jpg"), error.Path);
        Assert.Contains("broken.jpg", error.Message);
        Assert.Contains("JPEG", error.Message);
    }

    [Fact]
    public void Strict_reads_a_clean_folder()
    {
        using var temp = new TempDirectory();
        WriteClasses(temp.Path, 2, "cat", "dog");
        Assert.Equal(4, ImageFolderReader.Read(temp.Path, new ImageFolderOptions(Rgb, Strict: true)).Dataset.Count);
    }

    [Fact]
    public void Nested_folders_belong_to_their_class_while_hidden_folders_and_root_files_are_ignored()
    {
        using var temp = new TempDirectory();
        WriteClasses(temp.Path, 1, "cat", "dog");
        using var lime = TestImages.Solid(8, 8, SKColors.Lime);
        TestImages.Write(Path.Combine(temp.Path, "cat", "indoor", "sofa.png"), TestImages.Png(lime));
        TestImages.Write(Path.Combine(temp.Path, ".ipynb_checkpoints", "x.png"), TestImages.Png(lime));
        TestImages.Write(Path.Combine(temp.Path, "__MACOSX", "cat", "._img00.jpg"), [0, 5, 22, 7]);
        TestImages.Write(Path.Combine(temp.Path, "labels.csv"), Encoding.ASCII.GetBytes("file,label\n"));

        var (dataset, skipped) = ImageFolderReader.Read(temp.Path, new ImageFolderOptions(Rgb));

        Assert.Equal(["cat", "dog"], dataset.ClassNames);
        Assert.Equal([0, 0, 1], dataset.Labels);
        Assert.Empty(skipped);
    }

    [Fact]
    public void A_single_class_and_an_empty_class_are_read()
    {
        using var temp = new TempDirectory();
        WriteClasses(temp.Path, 2, "cat");
        Directory.CreateDirectory(Path.Combine(temp.Path, "dog"));

        var dataset = ImageFolderReader.Read(temp.Path, new ImageFolderOptions(Rgb)).Dataset;

        Assert.Equal(["cat", "dog"], dataset.ClassNames);
        Assert.Equal([2, 0], dataset.ClassCounts());
        Assert.Throws<DatasetException>(dataset.EnsureTrainable); // only one class has images
    }

    [Fact]
    public void Missing_path_is_an_error()
    {
        var error = Assert.Throws<DatasetException>(() =>
            ImageFolderReader.Read("/nonexistent/flowers", new ImageFolderOptions(Rgb)));
        Assert.Contains("/nonexistent/flowers", error.Message);
        Assert.Contains("not found", error.Message);
    }

    [Fact]
    public void A_file_instead_of_a_folder_is_an_error()
    {
        using var temp = new TempDirectory();
        var file = TestImages.Write(temp.File("data.png"), TestImages.Png(TestImages.Solid(2, 2, SKColors.Red)));
        var error = Assert.Throws<DatasetException>(() => ImageFolderReader.Read(file, new ImageFolderOptions(Rgb)));
        Assert.Contains("is a file, not a folder", error.Message);
    }

    [Fact]
    public void Empty_folder_says_what_was_expected()
    {
        using var temp = new TempDirectory();
        var error = Assert.Throws<DatasetException>(() => ImageFolderReader.Read(temp.Path, new ImageFolderOptions(Rgb)));
        Assert.Contains("expected one subfolder per class, each holding images", error.Message);
        Assert.Contains(temp.Path, error.Message);
    }

    [Fact]
    public void Images_without_class_subfolders_say_what_was_expected()
    {
        using var temp = new TempDirectory();
        using var red = TestImages.Solid(8, 8, SKColors.Red);
        TestImages.Write(temp.File("a.png"), TestImages.Png(red));
        TestImages.Write(temp.File("b.png"), TestImages.Png(red));

        var error = Assert.Throws<DatasetException>(() => ImageFolderReader.Read(temp.Path, new ImageFolderOptions(Rgb)));
        Assert.Contains("no class subfolders", error.Message);
        Assert.Contains("expected one subfolder per class", error.Message);
    }

    [Fact]
    public void Class_folders_without_images_are_an_error()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(temp.Path, "cat"));
        TestImages.Write(Path.Combine(temp.Path, "dog", "notes.txt"), Encoding.ASCII.GetBytes("todo: add dogs"));

        var error = Assert.Throws<DatasetException>(() => ImageFolderReader.Read(temp.Path, new ImageFolderOptions(Rgb)));
        Assert.Contains("no readable images in its 2 class folders", error.Message);
        Assert.Contains("notes.txt", error.Message);

        Directory.Delete(Path.Combine(temp.Path, "dog"), recursive: true);
        var none = Assert.Throws<DatasetException>(() => ImageFolderReader.Read(temp.Path, new ImageFolderOptions(Rgb)));
        Assert.Contains("no files", none.Message);
    }

    [Fact]
    public void Train_and_test_folders_become_splits_with_one_class_list()
    {
        using var temp = new TempDirectory();
        WriteClasses(Path.Combine(temp.Path, "train"), 3, "dog", "cat", "bird");
        WriteClasses(Path.Combine(temp.Path, "test"), 1, "dog", "bird"); // no cats in test: fine
        TestImages.Write(Path.Combine(temp.Path, "test", "dog", "notes.txt"), Encoding.ASCII.GetBytes("x"));

        var (splits, skipped) = ImageFolderReader.ReadSplits(temp.Path, new ImageFolderOptions(Rgb));

        Assert.Equal(["bird", "cat", "dog"], splits.Train.ClassNames);
        Assert.Equal(splits.Train.ClassNames, splits.Test!.ClassNames);
        Assert.Equal(9, splits.Train.Count);
        Assert.Equal([0, 2], splits.Test.Labels);
        Assert.Equal([1, 0, 1], splits.Test.ClassCounts());
        AssertLabelsMatchColors(splits.Train);
        AssertLabelsMatchColors(splits.Test);
        Assert.EndsWith("/train", splits.Train.Name);
        Assert.EndsWith("/test", splits.Test.Name);
        Assert.Equal("notes.txt", Path.GetFileName(Assert.Single(skipped).Path));
    }

    [Theory]
    [InlineData("val")]
    [InlineData("valid")]
    [InlineData("Validation")]
    public void Validation_folders_serve_as_the_test_split(string testName)
    {
        using var temp = new TempDirectory();
        WriteClasses(Path.Combine(temp.Path, "train"), 1, "cat", "dog");
        WriteClasses(Path.Combine(temp.Path, testName), 1, "cat", "dog");

        var splits = ImageFolderReader.ReadSplits(temp.Path, new ImageFolderOptions(Rgb)).Splits;

        Assert.Equal(2, splits.Test!.Count);
        Assert.EndsWith("/" + testName, splits.Test.Name);
    }

    [Fact]
    public void Test_classes_must_be_training_classes()
    {
        using var temp = new TempDirectory();
        WriteClasses(Path.Combine(temp.Path, "train"), 1, "cat", "dog");
        WriteClasses(Path.Combine(temp.Path, "test"), 1, "cat", "bird");

        var error = Assert.Throws<DatasetException>(() => ImageFolderReader.ReadSplits(temp.Path, new ImageFolderOptions(Rgb)));
        Assert.Contains("test classes bird have no folder in", error.Message);
    }

    [Fact]
    public void Without_split_folders_the_whole_folder_is_the_train_split()
    {
        using var temp = new TempDirectory();
        WriteClasses(temp.Path, 1, "cat", "dog");
        var splits = ImageFolderReader.ReadSplits(temp.Path, new ImageFolderOptions(Rgb)).Splits;
        Assert.Equal(["cat", "dog"], splits.Train.ClassNames);
        Assert.Null(splits.Test);

        // train/ without a test folder: train only, and "train" is not taken for a class.
        using var trainOnly = new TempDirectory();
        WriteClasses(Path.Combine(trainOnly.Path, "train"), 1, "cat", "dog");
        var trainSplits = ImageFolderReader.ReadSplits(trainOnly.Path, new ImageFolderOptions(Rgb)).Splits;
        Assert.Equal(["cat", "dog"], trainSplits.Train.ClassNames);
        Assert.Null(trainSplits.Test);
    }

    [Fact]
    public void A_class_named_train_holding_images_is_just_a_class()
    {
        using var temp = new TempDirectory();
        using var red = TestImages.Solid(8, 8, SKColors.Red);
        TestImages.Write(Path.Combine(temp.Path, "train", "1.png"), TestImages.Png(red));
        TestImages.Write(Path.Combine(temp.Path, "plane", "1.png"), TestImages.Png(red));

        var splits = ImageFolderReader.ReadSplits(temp.Path, new ImageFolderOptions(Rgb)).Splits;
        Assert.Equal(["plane", "train"], splits.Train.ClassNames);
        Assert.Null(splits.Test);
    }

    [Fact]
    public void LooksLikeImageFolder_tells_image_folders_from_other_things()
    {
        using var plain = new TempDirectory();
        WriteClasses(plain.Path, 1, "cat", "dog");
        using var split = new TempDirectory();
        WriteClasses(Path.Combine(split.Path, "train"), 1, "cat");
        using var textOnly = new TempDirectory();
        TestImages.Write(Path.Combine(textOnly.Path, "cat", "a.txt"), Encoding.ASCII.GetBytes("text"));
        using var flat = new TempDirectory();
        TestImages.Write(flat.File("train-images-idx3-ubyte"), [0, 0, 8, 3]);

        Assert.True(ImageFolderReader.LooksLikeImageFolder(plain.Path));
        Assert.True(ImageFolderReader.LooksLikeImageFolder(split.Path));
        Assert.False(ImageFolderReader.LooksLikeImageFolder(textOnly.Path));
        Assert.False(ImageFolderReader.LooksLikeImageFolder(flat.Path));
        Assert.False(ImageFolderReader.LooksLikeImageFolder("/nonexistent/data"));
        Assert.False(ImageFolderReader.LooksLikeImageFolder(flat.File("train-images-idx3-ubyte")));
    }

    [Fact]
    public void Bad_options_are_refused()
    {
        using var temp = new TempDirectory();
        WriteClasses(temp.Path, 1, "cat");
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageFolderReader.Read(temp.Path, new ImageFolderOptions(Rgb, Workers: -1)));
        Assert.Throws<ArgumentException>(() => ImageFolderReader.Read(temp.Path, new ImageFolderOptions(new ImageShape(2, 8, 8))));
    }
}
