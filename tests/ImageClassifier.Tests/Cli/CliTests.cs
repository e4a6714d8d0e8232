using System.Text.Json;
using ImageClassifier.Imaging;
using ImageClassifier.Tests.TestSupport;

namespace ImageClassifier.Tests.Cli;

/// <summary>imgclass end to end, in-process, on real image files and the real Fashion-MNIST.</summary>
public class CliTests
{
    [Fact]
    public void Train_evaluate_and_predict_a_folder_of_real_images()
    {
        using var dir = new TempDirectory();
        string data = ImageFolders.FashionMnistPngs(dir.File("data"), [1, 7, 8], perClass: 80); // Trouser, Sneaker, Bag
        string output = dir.File("run");

        var train = CliRunner.Run("train", "--data", data, "--image-size", "28", "--channels", "1", "--epochs", "3",
            "--batch-size", "16", "--output", output, "--json", "--threads", "2");
        Assert.True(train.ExitCode == 0, train.Error);
        using var json = JsonDocument.Parse(train.Out);
        Assert.True(json.RootElement.GetProperty("test_accuracy").GetDouble() > 0.8, train.Out);
        Assert.Equal(3, json.RootElement.GetProperty("epochs").GetInt32());
        foreach (string file in new[] { "model.imgclass", "history.csv", "history.json", "summary.json" })
            Assert.True(File.Exists(Path.Combine(output, file)), file);
        Assert.Equal(4, File.ReadAllLines(Path.Combine(output, "history.csv")).Length);
        Assert.Contains("Epoch 3/3 - loss:", train.Error); // progress goes to stderr with --json

        // evaluate finds the training data again from the model file
        var evaluate = CliRunner.Run("evaluate", output, "--json");
        Assert.True(evaluate.ExitCode == 0, evaluate.Error);
        using var evaluation = JsonDocument.Parse(evaluate.Out);
        Assert.Equal(60, evaluation.RootElement.GetProperty("images").GetInt32());
        Assert.Equal(json.RootElement.GetProperty("test_accuracy").GetDouble(), evaluation.RootElement.GetProperty("accuracy").GetDouble(), 6);

        string sneakers = Path.Combine(data, "test", "Sneaker");
        var csv = CliRunner.Run("predict", Path.Combine(output, "model.imgclass"), sneakers, "--format", "csv", "--top", "2");
        Assert.True(csv.ExitCode == 0, csv.Error);
        var lines = csv.Out.Trim().Split('\n');
        Assert.Equal("source,true_class,class_1,probability_1,class_2,probability_2,note", lines[0]);
        Assert.Equal(21, lines.Length);
        Assert.True(lines.Skip(1).Count(l => l.Split(',')[2] == "Sneaker") >= 15, csv.Out);

        // another size and colour: resized, with a note
        string big = dir.File("big.png");
        var gray = FashionMnist.Test.Image(0).ToArray();
        var rgb = gray.Concat(gray).Concat(gray).ToArray();
        ImageEncoder.WritePng(big, rgb, new ImageShape(3, 28, 28));
        var resized = new DecodedImage(28, 28, 3, rgb).ResizeTo(new ImageShape(3, 56, 40));
        ImageEncoder.WritePng(big, resized.Pixels, resized.Shape);
        var predictJson = CliRunner.Run("predict", output, big, "--json");
        Assert.True(predictJson.ExitCode == 0, predictJson.Error);
        using var predicted = JsonDocument.Parse(predictJson.Out);
        Assert.Equal("resized from 40x56 to 28x28", predicted.RootElement[0].GetProperty("note").GetString());
        Assert.Equal(3, predicted.RootElement[0].GetProperty("top").GetArrayLength());

        var table = CliRunner.Run("predict", output, big);
        Assert.Contains("Top classes", table.Out);
    }

    [Fact]
    public void Train_on_fashion_mnist_reports_test_accuracy_in_json()
    {
        using var dir = new TempDirectory();
        // Measured 70.5%-72.5% test accuracy (seeds 42, 1, 2); 60% leaves room for other machines.
        var result = CliRunner.Run("train", "--data", "fashion-mnist", "--limit", "3000", "--epochs", "2", "--output", dir.Path, "--json", "--no-report");
        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.Out);
        Assert.Equal(2700, json.RootElement.GetProperty("train_images").GetInt32());
        Assert.Equal(300, json.RootElement.GetProperty("validation_images").GetInt32());
        Assert.InRange(json.RootElement.GetProperty("test_accuracy").GetDouble(), 0.6, 1.0);
    }

    [Fact]
    public void Bench_prints_train_and_inference_rates_their_share_of_the_ceiling_and_memory_per_epoch()
    {
        var result = CliRunner.Run("bench", "--limit", "2560", "--json", "--threads", "2", "--epochs", "2", "--profile");
        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.Out);
        var root = json.RootElement;
        double train = root.GetProperty("train_images_per_s").GetDouble();
        Assert.True(train > 0);
        Assert.True(root.GetProperty("infer_images_per_s").GetDouble() > 0);
        Assert.Equal(128, root.GetProperty("batch_size").GetInt32());
        // The tutorial CNN: 5.59 MFLOP per image forward (ModelCostTests); training GFLOP/s = images/s x 3 x that.
        Assert.Equal(5.59, root.GetProperty("forward_mflops_per_image").GetDouble(), 2);
        Assert.Equal(train * 3 * 5.58848e-3, root.GetProperty("train_gflops").GetDouble(), 0.01 + train * 3 * 5.58848e-3 * 0.002);
        double share = root.GetProperty("train_share_of_matmul").GetDouble();
        Assert.Equal(root.GetProperty("train_gflops").GetDouble() / root.GetProperty("matmul_gflops").GetDouble(), share, 2);
        Assert.InRange(share, 1e-4, 2);
        Assert.Equal(2, root.GetProperty("resident_mb_per_epoch").GetArrayLength());
        Assert.Equal("float32", root.GetProperty("precision").GetString());
        // --profile: each of the tutorial CNN's nine layers with its forward and backward time.
        var layers = root.GetProperty("layers").EnumerateArray().ToList();
        Assert.Equal(["conv2d", "max_pooling2d", "conv2d_1", "max_pooling2d_1", "conv2d_2", "flatten", "dense", "dropout", "dense_1"],
            layers.Select(l => l.GetProperty("layer").GetString()));
        Assert.All(layers, l => Assert.True(l.GetProperty("forward_ms").GetDouble() >= 0 && l.GetProperty("backward_ms").GetDouble() >= 0));
        Assert.All(layers.Where(l => l.GetProperty("layer").GetString()!.StartsWith("conv")),
            l => Assert.True(l.GetProperty("forward_ms").GetDouble() > 0 && l.GetProperty("backward_ms").GetDouble() > 0));
    }

    [Theory]
    [InlineData("28x28x1", "Total params: 93,322")]
    [InlineData("32x32x3", "Total params: 122,570")]
    public void Summary_prints_the_keras_table(string shape, string expected)
    {
        var result = CliRunner.Run("summary", "tutorial-cnn", "--input-shape", shape);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains(expected, result.Out);
        Assert.Contains("conv2d_2 (Conv2D)", result.Out);
    }

    [Fact]
    public void Datasets_lists_and_inspects()
    {
        var list = CliRunner.Run("datasets");
        Assert.Equal(0, list.ExitCode);
        Assert.Contains("fashion-mnist", list.Out);
        Assert.Contains("cifar10", list.Out);

        var inspect = CliRunner.Run("datasets", "inspect", "fashion-mnist", "--json");
        Assert.True(inspect.ExitCode == 0, inspect.Error);
        using var json = JsonDocument.Parse(inspect.Out);
        Assert.Equal(60000, json.RootElement.GetProperty("train_images").GetInt32());
        Assert.All(json.RootElement.GetProperty("train_counts").EnumerateArray(), c => Assert.Equal(6000, c.GetInt32()));
        Assert.Equal(1.0, json.RootElement.GetProperty("imbalance_ratio").GetDouble());
    }

    [Theory]
    [InlineData("train")]
    [InlineData("evaluate")]
    [InlineData("predict")]
    [InlineData("summary")]
    [InlineData("datasets")]
    [InlineData("bench")]
    public void Every_command_explains_itself(string command)
    {
        var result = CliRunner.Run(command, "--help");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Usage:", result.Out);
        Assert.Contains("Options:", result.Out);
    }

    public static TheoryData<string[], string> BadInput => new()
    {
        { ["train", "--data", "/no/such/folder"], "/no/such/folder: no such file or folder" },
        { ["train", "--data", "fashion-mnist", "--model", "resnet999"], "Unknown model 'resnet999'" },
        { ["train", "--data", "fashion-mnist", "--epochs", "0"], "--epochs must be at least 1" },
        { ["train", "--data", "fashion-mnist", "--optimizer", "lion", "--limit", "100"], "Unknown optimizer 'lion'" },
        { ["train", "--data", "fashion-mnist", "--class-weights", "1,2"], "--class-weights must be 'balanced' or 10" },
        { ["evaluate", "/no/model.imgclass"], "no such model file" },
        { ["predict", "/no/model.imgclass", "x.png"], "no such model file" },
        { ["predict", "/no/model.imgclass", "x.png", "--top", "0"], "--top must be at least 1, not 0" },
        { ["summary", "tutorial-cnn", "--input-shape", "28x28"], "--input-shape must be height x width x channels" },
        { ["datasets", "inspect", "/no/such/data"], "no such file or folder" },
    };

    [Theory]
    [MemberData(nameof(BadInput))]
    public void Bad_input_gets_one_clear_line_and_exit_code_1(string[] args, string expected)
    {
        var result = CliRunner.Run(args);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(expected, result.Error);
        Assert.StartsWith("error: ", result.Error);
        Assert.DoesNotContain("   at ", result.Error);
    }

    [Fact]
    public void Corrupt_model_files_and_unreadable_images_are_reported_not_thrown()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("model.imgclass"), "this is not a model");
        var corrupt = CliRunner.Run("evaluate", dir.File("model.imgclass"), "--data", "fashion-mnist");
        Assert.Equal(1, corrupt.ExitCode);
        Assert.Contains("not an ImageClassifier model file", corrupt.Error);

        // a folder whose only 'image' is text: every input skipped, with a warning naming it
        string data = ImageFolders.FashionMnistPngs(dir.File("data"), [0, 1], perClass: 8);
        var train = CliRunner.Run("train", "--data", data, "--image-size", "28", "--channels", "1", "--epochs", "1", "--output", dir.File("run"), "--validation-split", "0.25");
        Assert.True(train.ExitCode == 0, train.Error);
        File.WriteAllText(dir.File("notes.png"), "not an image");
        var predict = CliRunner.Run("predict", dir.File("run"), dir.File("notes.png"));
        Assert.Equal(1, predict.ExitCode);
        Assert.Contains("notes.png", predict.Error);
        Assert.Contains("None of the inputs is an image", predict.Error);

        // a class folder with a broken file: skipped with a warning; --strict makes it an error
        File.WriteAllBytes(Path.Combine(data, "train", "Trouser", "broken.png"), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0]);
        var lenient = CliRunner.Run("datasets", "inspect", data, "--image-size", "28", "--channels", "1");
        Assert.Equal(0, lenient.ExitCode);
        Assert.Contains("warning: skipped 1 file(s)", lenient.Error);
        Assert.Contains("broken.png", lenient.Error);
        var strict = CliRunner.Run("datasets", "inspect", data, "--strict");
        Assert.Equal(1, strict.ExitCode);
        Assert.Contains("broken.png", strict.Error);
    }

    [Fact]
    public void A_one_class_folder_cannot_be_trained()
    {
        using var dir = new TempDirectory();
        string data = ImageFolders.FashionMnistPngs(dir.File("data"), [3], perClass: 8);
        var result = CliRunner.Run("train", "--data", data, "--image-size", "28", "--epochs", "1", "--output", dir.File("run"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("only 1 class", result.Error);
    }
}
