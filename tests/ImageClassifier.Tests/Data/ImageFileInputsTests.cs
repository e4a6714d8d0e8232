using ImageClassifier.Data;
using ImageClassifier.Imaging;
using ImageClassifier.Tests.TestSupport;

namespace ImageClassifier.Tests.Data;

/// <summary>The one way predict and explain read the files and folders a user names.</summary>
public class ImageFileInputsTests
{
    static readonly ImageShape Input = new(1, 8, 8);

    [Fact]
    public void Folders_expand_images_resize_with_a_note_and_bad_files_are_skipped()
    {
        using var temp = new TempDirectory();
        var gray = new byte[16 * 12];
        ImageEncoder.WritePng(temp.File("nested/b/big.png"), gray, new ImageShape(1, 12, 16));
        ImageEncoder.WritePng(temp.File("nested/a/small.png"), new byte[Input.Size], Input);
        File.WriteAllText(temp.File("nested/notes.png"), "not an image");
        string single = temp.File("single.png");
        ImageEncoder.WritePng(single, new byte[Input.Size], Input);

        var batches = ImageFileInputs.ReadInBatches([temp.File("nested"), single], Input, batchSize: 2).ToList();

        Assert.Equal(2, batches.Count); // 4 files in batches of 2
        var images = batches.SelectMany(b => b.Images).ToList();
        Assert.Equal(["small.png", "big.png", "single.png"], images.Select(i => Path.GetFileName(i.Path)));
        Assert.All(images, i => Assert.Equal(Input.Size, i.Pixels.Length));
        Assert.Equal([null, "resized from 16x12 to 8x8", null], images.Select(i => i.Note));
        Assert.Equal((16, 12), (images[1].Image.Width, images[1].Image.Height)); // the image as decoded, for drawing
        var skipped = Assert.Single(batches.SelectMany(b => b.Skipped));
        Assert.EndsWith("notes.png", skipped.Path);

        Assert.Throws<ImageDecodeException>(() => ImageFileInputs.ReadInBatches([temp.File("nested")], Input, 8, strict: true).ToList());
        var missing = Assert.Throws<DatasetException>(() => ImageFileInputs.ReadInBatches([single, temp.File("gone.png")], Input, 8));
        Assert.Contains("gone.png: no such file or folder", missing.Message);
    }
}
