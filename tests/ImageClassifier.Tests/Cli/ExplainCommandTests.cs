using System.Text.Json;
using ImageClassifier.Data;
using ImageClassifier.Evaluation.Explain;
using ImageClassifier.Imaging;
using ImageClassifier.Models;
using ImageClassifier.Reporting;
using ImageClassifier.Serialization;
using ImageClassifier.Tests.TestSupport;

namespace ImageClassifier.Tests.Cli;

/// <summary>imgclass explain end to end: panels written per image, predictions printed, bad inputs refused.</summary>
public class ExplainCommandTests
{
    static string WriteFashionPng(TempDirectory dir, int index, string name)
    {
        string path = dir.File(name);
        ImageEncoder.WritePng(path, FashionMnist.Test.Image(index), FashionMnist.Test.Shape);
        return path;
    }

    [Fact]
    public void Writes_one_panel_per_image_and_prints_the_predictions()
    {
        using var dir = new TempDirectory();
        string first = WriteFashionPng(dir, 0, "first.png");
        string second = WriteFashionPng(dir, 1, "second.png");
        // An RGB image of another size: converted and resized as predict does, with a note.
        var gray = FashionMnist.Test.Image(2).ToArray();
        var rgb = new DecodedImage(28, 28, 3, [.. gray, .. gray, .. gray]).ResizeTo(new ImageShape(3, 56, 40));
        string other = dir.File("other.png");
        ImageEncoder.WritePng(other, rgb.Pixels, rgb.Shape);
        string output = dir.File("panels");

        var result = CliRunner.Run("explain", TrainedTutorialCnn.File, first, second, other, "--output", output, "--json", "--threads", "2");
        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.Out);
        var rows = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(3, rows.Count);
        Assert.Equal(["first-gradcam.png", "second-gradcam.png", "other-gradcam.png"], rows.Select(r => Path.GetFileName(r.GetProperty("panel").GetString()!)).ToArray());
        foreach (var row in rows)
        {
            string panel = row.GetProperty("panel").GetString()!;
            var decoded = ImageDecoder.DecodeFileNative(panel, 3);
            // The panel shows each image at its own shape: 28x28 drawn at 224x224, 40x56 at 160x224.
            var (width, _) = ExplanationPanel.TileSize(ImageDecoder.DecodeFileNative(row.GetProperty("source").GetString()!).Shape);
            Assert.Equal(3 * width + 4 * ExplanationPanel.Gap, decoded.Width);
            Assert.Equal("conv2d_2", row.GetProperty("layer").GetString());
            Assert.Equal("gradcam", row.GetProperty("method").GetString());
            Assert.Equal(row.GetProperty("predicted").GetString(), row.GetProperty("class").GetString());
            Assert.InRange(row.GetProperty("probability").GetDouble(), 0.1, 1.0);
        }
        Assert.Equal("resized from 40x56 to 28x28", rows[2].GetProperty("note").GetString());
        Assert.Equal(3, Directory.GetFiles(output, "*.png").Length);

        // A table by default; every option; the same file name twice gets a number.
        Directory.CreateDirectory(dir.File("again"));
        File.Copy(first, dir.File("again/first.png"));
        var table = CliRunner.Run("explain", TrainedTutorialCnn.File, first, dir.File("again/first.png"), "--output", output,
            "--layer", "conv2d_1", "--class", "Sneaker", "--method", "gradcam++", "--colormap", "viridis", "--alpha", "0.6");
        Assert.True(table.ExitCode == 0, table.Error);
        Assert.Contains("Sneaker (Grad-CAM++, conv2d_1)", table.Out);
        Assert.Contains("first-2-gradcam.png", table.Out);
        Assert.True(File.Exists(Path.Combine(output, "first-2-gradcam.png")));
    }

    [Fact]
    public void Bad_inputs_fail_with_a_clear_error()
    {
        using var dir = new TempDirectory();
        string image = WriteFashionPng(dir, 0, "shoe.png");
        string output = dir.File("panels");
        string model = TrainedTutorialCnn.File;

        void Fails(string expected, params string[] args)
        {
            var result = CliRunner.Run(["explain", .. args, "--output", output]);
            Assert.True(result.ExitCode == 1, $"exit {result.ExitCode}: {result.Out}");
            Assert.Contains(expected, result.Error);
            Assert.DoesNotContain("   at ", result.Error); // a message, not a stack trace
        }

        Fails("error: The model has no layer 'conv9'. Convolution layers: conv2d, conv2d_1, conv2d_2.", model, image, "--layer", "conv9");
        Fails("error: Class index 10 is out of range: the model has 10 classes, 0 to 9", model, image, "--class", "10");
        Fails("error: The model has no class 'Zebra'.", model, image, "--class", "Zebra");
        Fails("Alpha must be between 0 and 1, not 2.", model, image, "--alpha", "2");
        Fails("no such file or folder", model, dir.File("missing.png"));

        string text = dir.File("notes.png");
        File.WriteAllText(text, "not an image");
        Fails("error: None of the inputs is an image the model could read.", model, text);
        var skipped = CliRunner.Run("explain", model, text, image, "--output", output);
        Assert.True(skipped.ExitCode == 0, skipped.Error);
        Assert.Contains("warning: skipped", skipped.Error);

        string mlp = dir.File("mlp.imgclass");
        using (var dense = Classifier.Create("mlp", FashionMnist.Test.Shape, FashionMnist.Test.ClassNames)) dense.Save(mlp);
        Fails("error: Grad-CAM needs a convolution layer, but model 'mlp' has none", mlp, image);
        Assert.False(File.Exists(Path.Combine(output, "notes-gradcam.png")));
    }
}
