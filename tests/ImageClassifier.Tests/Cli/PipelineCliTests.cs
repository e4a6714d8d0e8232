using System.Text.Json;
using ImageClassifier.Imaging;
using ImageClassifier.Tests.TestSupport;

namespace ImageClassifier.Tests.Cli;

/// <summary>imgclass train --augment/--oversample/--stream, evaluate/predict --tta, augment --preview and cv, end to end.</summary>
public sealed class PipelineCliTests : IDisposable
{
    readonly TempDirectory temp = new();
    readonly string data;

    public PipelineCliTests()
    {
        data = ImageFolders.FashionMnistPngs(temp.File("data"), [1, 7, 8], perClass: 40); // Trouser, Sneaker, Bag: 120 train, 30 test
    }

    public void Dispose() => temp.Dispose();

    static string[] Folder(string data, params string[] rest) => ["--data", data, "--image-size", "28", "--channels", "1", "--threads", "2", .. rest];

    [Fact]
    public void Trains_streamed_with_augmentation_and_oversampling_then_evaluates_and_predicts_with_tta()
    {
        string output = temp.File("run");
        var train = CliRunner.Run(["train", .. Folder(data, "--epochs", "2", "--batch-size", "16", "--output", output, "--json",
            "--augment", "flip,rotate=0.05,zoom=0.1,contrast=0.1", "--rare-augment", "erase", "--oversample",
            "--stream", "--workers", "2", "--cache", "memory:1")]);
        Assert.True(train.ExitCode == 0, train.Error);
        Assert.Contains("Augmentation: flip(horizontal), rotate(±0.05 turn, reflect), zoom(±0.1, reflect), contrast(±0.1)", train.Error);
        Assert.Contains("Oversampling: every class drawn equally often", train.Error);
        Assert.Contains("note: rare-class augmentation changes nothing here", train.Error); // the three classes are the same size
        Assert.Contains("Streaming 108 training images", train.Error);
        Assert.Contains("memory cache", train.Error);
        using var json = JsonDocument.Parse(train.Out);
        Assert.Equal(2, json.RootElement.GetProperty("epochs").GetInt32());
        Assert.True(json.RootElement.GetProperty("test_accuracy").GetDouble() > 0.6, train.Out);

        var evaluate = CliRunner.Run("evaluate", output, "--json", "--tta", "flip,crops");
        Assert.True(evaluate.ExitCode == 0, evaluate.Error);
        Assert.Contains("Test-time augmentation: horizontal flip, 5 crops of 0.875 (7 views)", evaluate.Error);
        using var evaluation = JsonDocument.Parse(evaluate.Out);
        Assert.Equal(30, evaluation.RootElement.GetProperty("images").GetInt32());

        var predict = CliRunner.Run("predict", output, Path.Combine(data, "test", "Bag"), "--format", "csv", "--tta");
        Assert.True(predict.ExitCode == 0, predict.Error);
        Assert.Equal(11, predict.Out.Trim().Split('\n').Length);

        var badTta = CliRunner.Run("evaluate", output, "--tta", "spin");
        Assert.Equal(1, badTta.ExitCode);
        Assert.StartsWith("error: Unknown test-time augmentation 'spin'", badTta.Error);
    }

    [Theory]
    [InlineData("--augment", "rotate=abc", "error: Bad augmentation step 'rotate=abc': 'abc' is not a number; write it as in rotate=0.1.")]
    [InlineData("--augment", "flip,sharpen", "error: Unknown augmentation 'sharpen' in 'sharpen': the known ones are flip, rotate")]
    [InlineData("--augment", "zoom=3", "error: Bad augmentation step 'zoom=3': zoom must be greater than 0 and less than 1, not 3.")]
    [InlineData("--cache", "memory:1", "error: --workers, --prefetch and --cache only apply with --stream.")]
    public void Bad_feeding_options_fail_before_training_with_one_clear_line(string option, string value, string message)
    {
        var result = CliRunner.Run(["train", .. Folder(data, "--epochs", "1", "--output", temp.File("bad"), option, value)]);
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith(message, result.Error);
        Assert.DoesNotContain("Epoch 1", result.Out + result.Error);
    }

    [Fact]
    public void Streaming_needs_a_folder_and_a_writable_cache()
    {
        var named = CliRunner.Run("train", "--data", "fashion-mnist", "--stream", "--epochs", "1");
        Assert.Equal(1, named.ExitCode);
        Assert.StartsWith("error: --stream reads folders of class subfolders of images, and 'fashion-mnist' is not one", named.Error);

        File.WriteAllText(temp.File("file"), "x");
        var cache = CliRunner.Run(["train", .. Folder(data, "--stream", "--cache", "disk:" + temp.File("file/cache"), "--epochs", "1")]);
        Assert.Equal(1, cache.ExitCode);
        Assert.StartsWith($"error: {temp.File("file/cache")}: the image cache folder cannot be written", cache.Error);
    }

    [Fact]
    public void Augment_preview_writes_a_grid_of_augmented_versions()
    {
        string image = Path.Combine(data, "train", "Bag", Directory.GetFiles(Path.Combine(data, "train", "Bag"))[0]);
        string grid = temp.File("out/grid.png");
        var result = CliRunner.Run("augment", image, "--preview", "--augment", "flip,rotate=0.2,erase", "--count", "6", "--output", grid);
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("6 versions", result.Out);
        var decoded = ImageDecoder.DecodeFileNative(grid);
        Assert.Equal((3 * 28 + 4 * 4, 2 * 28 + 3 * 4), (decoded.Width, decoded.Height)); // 3 columns, 2 rows, 4-pixel gaps

        var noPreview = CliRunner.Run("augment", image);
        Assert.Equal("error: augment writes previews only: add --preview.", noPreview.Error.Trim());
        var badSpec = CliRunner.Run("augment", image, "--preview", "--augment", "rotate=abc");
        Assert.StartsWith("error: Bad augmentation step 'rotate=abc'", badSpec.Error);
    }

    [Fact]
    public void Cross_validation_reports_each_fold_and_the_mean_and_std()
    {
        var result = CliRunner.Run(["cv", .. Folder(data, "--folds", "3", "--stratified", "--epochs", "1", "--batch-size", "16", "--json")]);
        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.Out);
        var folds = json.RootElement.GetProperty("fold_results").EnumerateArray().ToList();
        Assert.Equal(3, folds.Count);
        Assert.All(folds, f => Assert.Equal(40, f.GetProperty("validation_images").GetInt32()));
        double mean = folds.Average(f => f.GetProperty("accuracy").GetDouble());
        Assert.Equal(mean, json.RootElement.GetProperty("mean").GetProperty("accuracy").GetDouble(), 9);
        Assert.True(json.RootElement.GetProperty("std").GetProperty("accuracy").GetDouble() >= 0);
        Assert.Contains("Fold 3/3: accuracy", result.Error);

        var table = CliRunner.Run(["cv", .. Folder(data, "--folds", "2", "--epochs", "1", "--limit", "60")]);
        Assert.True(table.ExitCode == 0, table.Error);
        Assert.Contains("mean ± std", table.Out);

        var tooMany = CliRunner.Run(["cv", .. Folder(data, "--folds", "41", "--stratified")]);
        Assert.Equal(1, tooMany.ExitCode);
        Assert.StartsWith("error: 41 stratified folds need at least 41 images of every class, but class 'Bag' has only 40; use at most 40 folds.", tooMany.Error);
    }
}
