using System.Text.Json;
using ImageClassifier.Tests.TestSupport;

namespace ImageClassifier.Tests.Cli;

/// <summary>A tiny Fashion-MNIST model, trained once for the evaluate tests.</summary>
public sealed class TinyFashionMnistModel : IDisposable
{
    readonly TempDirectory dir = new();

    public TinyFashionMnistModel()
    {
        var train = CliRunner.Run("train", "--data", "fashion-mnist", "--limit", "2000", "--epochs", "2", "--output", dir.Path, "--threads", "2");
        if (train.ExitCode != 0) throw new InvalidOperationException("training the test model failed: " + train.Error);
    }

    public string Folder => dir.Path;

    public void Dispose() => dir.Dispose();
}

/// <summary>imgclass evaluate's metrics, tables and files on the real Fashion-MNIST test split.</summary>
public class EvaluateCommandTests(TinyFashionMnistModel model) : IClassFixture<TinyFashionMnistModel>
{
    [Fact]
    public void Json_and_files_hold_the_report()
    {
        using var dir = new TempDirectory();
        string output = dir.File("metrics");
        var result = CliRunner.Run("evaluate", model.Folder, "--output", output, "--json", "--threads", "2");
        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.Out);
        var root = json.RootElement;
        Assert.Equal(10_000, root.GetProperty("images").GetInt32());
        double accuracy = root.GetProperty("accuracy").GetDouble();
        Assert.InRange(accuracy, 0.3, 1.0); // measured 64%-70% (seeds 42, 1, 2)
        Assert.Equal(5, root.GetProperty("top_k").GetInt32());
        Assert.InRange(root.GetProperty("top_k_accuracy").GetDouble(), accuracy, 1.0);
        Assert.True(root.GetProperty("log_loss").GetDouble() > 0);

        var report = root.GetProperty("classification_report");
        var classes = report.GetProperty("classes");
        Assert.Equal(10, classes.GetArrayLength());
        Assert.Equal("T-shirt/top", classes[0].GetProperty("name").GetString());
        Assert.Equal(10_000, classes.EnumerateArray().Sum(c => c.GetProperty("support").GetInt32()));
        Assert.Equal(accuracy, report.GetProperty("accuracy").GetDouble());
        Assert.Equal(accuracy, report.GetProperty("weighted_avg").GetProperty("recall").GetDouble(), 12); // always equal

        var counts = root.GetProperty("confusion_matrix").GetProperty("counts");
        Assert.Equal(10, counts.GetArrayLength());
        Assert.Equal(10_000, counts.EnumerateArray().SelectMany(r => r.EnumerateArray()).Sum(c => c.GetInt32()));
        int diagonal = Enumerable.Range(0, 10).Sum(i => counts[i][i].GetInt32());
        Assert.Equal(accuracy, diagonal / 10_000.0, 12);

        var losses = root.GetProperty("top_losses");
        Assert.Equal(10, losses.GetArrayLength());
        var worst = losses[0];
        Assert.NotEqual(worst.GetProperty("true_class").GetInt32(), worst.GetProperty("predicted_class").GetInt32());
        Assert.True(worst.GetProperty("loss").GetDouble() >= losses[9].GetProperty("loss").GetDouble());
        Assert.Equal(10, root.GetProperty("worst_per_class").GetArrayLength());
        Assert.True(root.GetProperty("most_confused").GetArrayLength() > 0);

        foreach (string file in new[] { "metrics.json", "classification_report.csv", "confusion_matrix.csv", "confusion_matrix_normalized.csv", "top_losses.csv" })
            Assert.True(File.Exists(Path.Combine(output, file)), file);
        Assert.Equal(14, File.ReadAllLines(Path.Combine(output, "classification_report.csv")).Length); // header, 10 classes, 3 summary rows
        Assert.StartsWith("true\\predicted,T-shirt/top,Trouser,", File.ReadAllLines(Path.Combine(output, "confusion_matrix.csv"))[0]);
        Assert.Equal(11, File.ReadAllLines(Path.Combine(output, "top_losses.csv")).Length);
        using var saved = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "metrics.json")));
        Assert.Equal(accuracy, saved.RootElement.GetProperty("accuracy").GetDouble());
        Assert.Contains("Wrote metrics.json", result.Error); // stdout stays pure JSON
    }

    [Fact]
    public void Tables_show_the_report_matrix_and_mistakes()
    {
        var result = CliRunner.Run("evaluate", model.Folder, "--top-k", "3", "--examples", "4", "--threads", "2");
        Assert.True(result.ExitCode == 0, result.Error);
        foreach (string expected in new[] { "Top-3 accuracy", "Log loss", "Classification report", "precision", "f1-score", "macro avg",
                     "weighted avg", "accuracy", "Confusion matrix", "9 Ankle boot", "Top losses", "Most confused" })
            Assert.Contains(expected, result.Out);
    }

    [Theory]
    [InlineData("--top-k", "0", "top-k must be at least 1")]
    [InlineData("--examples", "-1", "cannot be negative")]
    public void Bad_options_get_one_clear_line(string option, string value, string expected)
    {
        var result = CliRunner.Run("evaluate", model.Folder, option, value, "--threads", "2");
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: ", result.Error);
        Assert.Contains(expected, result.Error);
    }
}
