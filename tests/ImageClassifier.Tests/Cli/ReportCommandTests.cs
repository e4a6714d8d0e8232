using System.Text.Json;
using System.Text.RegularExpressions;
using ImageClassifier.Tests.TestSupport;

namespace ImageClassifier.Tests.Cli;

/// <summary>imgclass report, and the report imgclass train writes, end to end on a tiny model trained on real Fashion-MNIST.</summary>
public class ReportCommandTests(TinyFashionMnistModel model) : IClassFixture<TinyFashionMnistModel>
{
    static int InlinePngs(string html) => Regex.Matches(html, "src=\"data:image/png;base64,").Count;

    [Fact]
    public void Training_writes_report_html_beside_the_model()
    {
        string path = Path.Combine(model.Folder, "report.html");
        Assert.True(File.Exists(path), "train wrote no report.html");
        string html = File.ReadAllText(path);
        Assert.Contains("tutorial-cnn on fashion-mnist/test", html);
        Assert.Contains("Each epoch", html); // the history it trained with
        Assert.Equal(12, InlinePngs(html)); // six pictures and Grad-CAM panels of the six worst top losses
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(model.Folder, "summary.json")));
        Assert.Equal(Path.GetFullPath(path), summary.RootElement.GetProperty("report").GetString());
    }

    [Fact]
    public void Report_evaluates_the_model_on_its_dataset_and_finds_its_history()
    {
        using var dir = new TempDirectory();
        string output = dir.File("out/my report.html");
        var result = CliRunner.Run("report", Path.Combine(model.Folder, "model.imgclass"), "--output", output, "--samples", "9", "--threads", "2");
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal($"Wrote report: {Path.GetFullPath(output)}", result.Out.Trim());
        string html = File.ReadAllText(output);
        Assert.Contains("10,000", html); // the whole test split
        Assert.Contains("Each epoch", html);
        Assert.Equal(9, Regex.Matches(html, "<td>fashion-mnist/test\\[\\d+\\]</td>").Count); // --samples top losses
        Assert.Equal(12, InlinePngs(html)); // six pictures and Grad-CAM panels of the six worst top losses
        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("https://", html);
    }

    [Fact]
    public void Report_takes_other_data_and_writes_beside_the_model_by_default()
    {
        using var dir = new TempDirectory();
        File.Copy(Path.Combine(model.Folder, "model.imgclass"), dir.File("model.imgclass")); // no history.json here
        var result = CliRunner.Run("report", dir.File("model.imgclass"), "--data", "fashion-mnist", "--split", "train", "--limit", "300", "--json", "--threads", "2");
        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.Out);
        Assert.Equal(dir.File("report.html"), json.RootElement.GetProperty("report").GetString());
        Assert.Equal(300, json.RootElement.GetProperty("images").GetInt32());
        Assert.Contains("No training history was found", File.ReadAllText(dir.File("report.html")));
    }

    [Fact]
    public void Report_errors_are_one_clear_line()
    {
        using var dir = new TempDirectory();
        var missing = CliRunner.Run("report", dir.File("nothing.imgclass"));
        Assert.Equal(1, missing.ExitCode);
        Assert.StartsWith("error:", missing.Error);
        var negative = CliRunner.Run("report", model.Folder, "--samples", "-1");
        Assert.Equal(1, negative.ExitCode);
        Assert.Contains("--samples", negative.Error);
    }

    [Trait("Category", "Slow")] // two CLI trainings, each tested on 10,000 images, and a report: about 15 s on 2 cores
    [Fact]
    public void Train_prints_the_report_path_and_no_report_skips_it()
    {
        using var dir = new TempDirectory();
        var skipped = CliRunner.Run("train", "--data", "fashion-mnist", "--limit", "300", "--epochs", "1", "--output", dir.File("a"), "--threads", "2", "--no-report");
        Assert.True(skipped.ExitCode == 0, skipped.Error);
        Assert.False(File.Exists(dir.File("a/report.html")));
        Assert.DoesNotContain("Report:", skipped.Out);

        var written = CliRunner.Run("train", "--data", "fashion-mnist", "--limit", "300", "--epochs", "1", "--output", dir.File("b"), "--threads", "2", "--validation-split", "0.2");
        Assert.True(written.ExitCode == 0, written.Error);
        Assert.Contains($"Report: {Path.GetFullPath(dir.File("b/report.html"))}", written.Out);
        Assert.True(File.Exists(dir.File("b/report.html")));
    }
}
