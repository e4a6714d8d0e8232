using System.Text.Json;
using ImageClassifier.Tests.TestSupport;

namespace ImageClassifier.Tests.Cli;

/// <summary>
/// Real PNG folders and a model trained from the command line on a plain folder of class subfolders
/// (data/train, read without its parent, so it has no train/test layout), made once for the class.
/// </summary>
public sealed class PlainFolderModel : IDisposable
{
    readonly TempDirectory temp = new();

    public string Data { get; }
    public string Output { get; }

    public PlainFolderModel()
    {
        Data = ImageFolders.FashionMnistPngs(temp.File("data"), [1, 7, 8], perClass: 20); // Trouser, Sneaker, Bag: 60 train, 15 test
        Output = temp.File("run");
        var train = CliRunner.Run("train", "--data", Path.Combine(Data, "train"), "--image-size", "28", "--channels", "1",
            "--epochs", "1", "--batch-size", "16", "--output", Output, "--threads", "2", "--no-report");
        if (train.ExitCode != 0) throw new InvalidOperationException("training the plain-folder model failed: " + train.Error);
    }

    public string File(string name) => temp.File(name);

    public void Dispose() => temp.Dispose();
}

/// <summary>evaluate and report on a folder of class subfolders without train/ and test/: the folder is the evaluation set.</summary>
public class PlainFolderEvaluationTests(PlainFolderModel model) : IClassFixture<PlainFolderModel>
{
    [Fact]
    public void Evaluate_takes_all_of_a_plain_folder_and_says_so()
    {
        string folder = Path.Combine(model.Data, "test");
        var result = CliRunner.Run("evaluate", model.Output, "--data", folder, "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains($"note: {folder} has no train/test layout: evaluating all 15 images", result.Error);
        using var json = JsonDocument.Parse(result.Out);
        Assert.Equal(15, json.RootElement.GetProperty("images").GetInt32());
    }

    [Fact]
    public void Report_takes_all_of_a_plain_folder_and_says_so()
    {
        string folder = Path.Combine(model.Data, "test");
        var result = CliRunner.Run("report", model.Output, "--data", folder, "--output", model.File("plain.html"), "--samples", "4", "--json", "--threads", "2");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains($"note: {folder} has no train/test layout: evaluating all 15 images", result.Error);
        using var json = JsonDocument.Parse(result.Out);
        Assert.Equal(15, json.RootElement.GetProperty("images").GetInt32());
    }

    [Fact]
    public void The_folder_the_model_learnt_from_is_named_as_such()
    {
        string folder = Path.Combine(model.Data, "train");
        var given = CliRunner.Run("evaluate", model.Output, "--data", folder);
        Assert.True(given.ExitCode == 0, given.Error);
        Assert.Contains("evaluating all 60 images (the model was trained on this folder)", given.Error);

        // Without --data the model's own training folder would be scored as if it were unseen: refused.
        var recorded = CliRunner.Run("evaluate", model.Output);
        Assert.Equal(1, recorded.ExitCode);
        Assert.Contains("the folder the model was trained on, has no test split: give other images with --data, or use --split train", recorded.Error);
    }

    [Fact]
    public void A_train_folder_without_a_test_folder_still_needs_split_train()
    {
        string root = ImageFolders.FashionMnistPngs(model.File("train-only"), [1, 7, 8], perClass: 4);
        Directory.Delete(Path.Combine(root, "test"), recursive: true);

        var result = CliRunner.Run("evaluate", model.Output, "--data", root);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("has no test split: use --split train", result.Error);
    }
}
