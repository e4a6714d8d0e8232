using ImageClassifier.Imaging;
using ImageClassifier.Models;
using ImageClassifier.Serialization;
using ImageClassifier.Tests.TestSupport;
using SkiaSharp;

namespace ImageClassifier.Tests.Reliability;

/// <summary>Options and datasets a user gets wrong: a clear one-line error, never .NET internals, a hang or an out-of-memory kill.</summary>
public class CliInputTests
{
    static string Folder(TempDirectory dir, string a = "cat", string b = "dog")
    {
        using var red = TestImages.Solid(8, 8, SKColors.Red);
        using var blue = TestImages.Solid(8, 8, SKColors.Blue);
        for (int i = 0; i < 4; i++)
        {
            TestImages.Write(dir.File($"data/{a}/{i}.png"), TestImages.Png(red));
            TestImages.Write(dir.File($"data/{b}/{i}.png"), TestImages.Png(blue));
        }
        return dir.File("data");
    }

    static void AssertClearError(CliRunner.Result result, string expected)
    {
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(expected, result.Error);
        Assert.DoesNotContain("unexpected", result.Error);
        Assert.DoesNotContain("System.", result.Error);
        Assert.DoesNotContain("(Parameter", result.Error);
        Assert.DoesNotContain("Actual value", result.Error);
        Assert.DoesNotContain("   at ", result.Error);
    }

    [Theory]
    [InlineData("0", "--threads must be 1 to")]
    [InlineData("-3", "--threads must be 1 to")]
    [InlineData("100000", "--threads must be 1 to")]
    [InlineData("many", "a whole number")]
    public void Thread_counts_out_of_range_are_refused(string threads, string expected)
    {
        using var dir = new TempDirectory();
        var result = CliRunner.Run("train", "--data", Folder(dir), "--image-size", "8", "--epochs", "1", "--threads", threads, "-o", dir.File("out"), "--no-report");
        AssertClearError(result, expected);
    }

    [Theory]
    [InlineData("--patience", "-1", "--patience must not be negative")]
    [InlineData("--min-lr", "-0.1", "--min-lr must not be negative")]
    [InlineData("--validation-split", "1.5", "1.5")]
    [InlineData("--batch-size", "x", "a whole number")]
    public void Negative_or_impossible_training_settings_are_refused(string option, string value, string expected)
    {
        using var dir = new TempDirectory();
        var result = CliRunner.Run("train", "--data", Folder(dir), "--image-size", "8", "--epochs", "1", option, value, "-o", dir.File("out"), "--no-report");
        AssertClearError(result, expected);
    }

    [Fact]
    public void An_image_size_that_makes_a_billion_parameter_model_is_refused_before_allocating_it()
    {
        using var dir = new TempDirectory();
        var memory = new PeakMemory();
        var result = CliRunner.Run("train", "--data", Folder(dir), "--image-size", "2048", "--epochs", "1", "-o", dir.File("out"), "--no-report");
        AssertClearError(result, "The model is too large");
        Assert.Contains("IMGCLASS_MAX_MODEL_MILLION_PARAMETERS", result.Error);
        Assert.True(memory.Growth < 1L << 30, $"memory grew by {memory.Growth / 1e6:F0} MB");
    }

    [Fact]
    public void Evaluating_on_differently_named_classes_is_an_error_not_a_wrong_score()
    {
        using var dir = new TempDirectory();
        using (var model = Classifier.Create("mlp", new ImageShape(3, 8, 8), ["cat", "dog"])) model.Save(dir.File("model.imgclass"));
        var result = CliRunner.Run("evaluate", dir.File("model.imgclass"), "--data", Folder(dir, "ant", "bee"));
        AssertClearError(result, "has classes ant, bee, but the model was trained on cat, dog");

        using var same = new TempDirectory();
        var fine = CliRunner.Run("evaluate", dir.File("model.imgclass"), "--data", Folder(same));
        Assert.True(fine.ExitCode == 0, fine.Error);
    }
}
