using System.Text.Json;
using ImageClassifier.Audit;
using ImageClassifier.Imaging;
using ImageClassifier.Tests.TestSupport;

namespace ImageClassifier.Tests.Audit;

/// <summary>imgclass audit from the command line: the text, JSON and HTML reports, the fix list, train --exclude, and bad input.</summary>
public class AuditCommandTests
{
    sealed record Folder(TempDirectory Temp, string Root, string Empty, string Leak, string Misnamed) : IDisposable
    {
        public void Dispose() => Temp.Dispose();
    }

    static Folder MakeFolder()
    {
        var temp = new TempDirectory();
        string root = temp.File("data");
        var train = AuditFolders.Write(Path.Combine(root, "train"), AuditFolders.ThreeClasses, perClass: 8);
        var test = AuditFolders.Write(Path.Combine(root, "test"), AuditFolders.ThreeClasses, perClass: 3, first: 100);
        string empty = Path.Combine(root, "train", "bag", "empty.png");
        File.WriteAllBytes(empty, []);
        string leak = Path.Combine(root, "train", "sneaker", "leak.png");
        File.Copy(test["sneaker"][0], leak);
        string misnamed = Path.Combine(root, "train", "trouser", "misnamed.jpg");
        File.Copy(train["trouser"][0], misnamed);
        File.Delete(train["trouser"][0]);
        return new Folder(temp, root, Path.GetFullPath(empty), Path.GetFullPath(leak), Path.GetFullPath(misnamed));
    }

    [Fact]
    public void Reports_as_text_json_and_html_with_a_fix_list()
    {
        using var f = MakeFolder();
        string html = f.Temp.File("out/audit.html"), fixes = f.Temp.File("out/fixes.csv"), json = f.Temp.File("out/audit.json");

        var result = CliRunner.Run("audit", f.Root, "--no-labels", "--html", html, "--fix-list", fixes, "--json-file", json);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains($"empty                {f.Empty}: empty file (0 bytes)", result.Out);
        Assert.Contains("[train/test leakage]", result.Out);
        Assert.Contains($"wrong_extension      {f.Misnamed}: named .jpg but the content is PNG", result.Out);
        Assert.Contains("What to do:", result.Out);
        Assert.Contains("Scanned 35/35 files (100%)", result.Error);

        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var root = doc.RootElement;
        Assert.Equal(35, root.GetProperty("files").GetInt32());
        Assert.Equal(34, root.GetProperty("images").GetInt32());
        Assert.Contains(root.GetProperty("file_findings").EnumerateArray(), e => e.GetProperty("kind").GetString() == "empty" && e.GetProperty("path").GetString() == f.Empty);
        var exact = Assert.Single(root.GetProperty("duplicates").GetProperty("exact").EnumerateArray());
        Assert.True(exact.GetProperty("leakage").GetBoolean());
        Assert.Equal(3, root.GetProperty("classes").GetProperty("classes").GetArrayLength());

        string page = File.ReadAllText(html);
        Assert.StartsWith("<!DOCTYPE html>", page);
        Assert.Contains("Dataset audit", page);
        Assert.Contains("train/test leakage", page);
        Assert.Contains("data:image/png;base64,", page);
        Assert.Contains("leak.png", page);

        var lines = File.ReadAllLines(fixes);
        Assert.Equal(FixList.Header, lines[0]);
        Assert.Contains(lines, l => l.StartsWith($"{f.Empty},train,exclude,", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"{f.Leak},train,exclude,", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"{f.Misnamed},train,rename,", StringComparison.Ordinal));
    }

    [Fact]
    public void Json_on_stdout_holds_only_the_report()
    {
        using var f = MakeFolder();
        var result = CliRunner.Run("audit", f.Root, "--no-labels", "--json");
        Assert.True(result.ExitCode == 0, result.Error);
        using var doc = JsonDocument.Parse(result.Out);
        Assert.Equal(f.Root, doc.RootElement.GetProperty("data").GetString());
        Assert.False(doc.RootElement.TryGetProperty("scanned", out _));
    }

    [Fact]
    public void Train_exclude_leaves_out_the_files_the_fix_list_marks()
    {
        using var f = MakeFolder();
        string fixes = f.Temp.File("fixes.csv");
        Assert.Equal(0, CliRunner.Run("audit", f.Root, "--no-labels", "--fix-list", fixes).ExitCode);

        var result = CliRunner.Run("train", "--data", f.Root, "--exclude", fixes, "--image-size", "28", "--channels", "1", "--epochs", "1",
            "--validation-split", "0", "--output", f.Temp.File("run"), "--no-report", "--threads", "2", "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains($"note: leaving out the 2 file(s) that {fixes} marks exclude", result.Error);
        Assert.DoesNotContain("warning: skipped", result.Error); // the empty file is excluded, not skipped
        using var doc = JsonDocument.Parse(result.Out);
        // 26 training files less the leaked copy and the empty file; the misnamed one is an image and stays.
        Assert.Equal(24, doc.RootElement.GetProperty("train_images").GetInt32());
    }

    [Fact]
    public void Audit_explains_itself_and_exclude_refuses_a_named_dataset()
    {
        var help = CliRunner.Run("audit", "--help");
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("--fix-list", help.Out);
        Assert.Contains("--model", help.Out);

        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("fixes.csv"), "path\nx.png\n");
        var result = CliRunner.Run("train", "--data", "fashion-mnist", "--exclude", temp.File("fixes.csv"), "--epochs", "1");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--exclude leaves files out of folders of images, and 'fashion-mnist' is not a folder", result.Error);
    }

    [Theory]
    [InlineData("no-such-folder", "folder not found")]
    [InlineData("file.png", "is a file, not a folder")]
    public void Bad_data_is_one_clear_error(string name, string message)
    {
        using var temp = new TempDirectory();
        File.WriteAllBytes(temp.File("file.png"), []);
        var result = CliRunner.Run("audit", temp.File(name), "--no-labels");
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: ", result.Error);
        Assert.Contains(temp.File(name), result.Error);
        Assert.Contains(message, result.Error);
    }

    [Theory]
    [InlineData("--image-size", "huge", "--image-size must be like 28")]
    [InlineData("--folds", "1", "at least 2 folds")]
    [InlineData("--hash-distance", "40", "hash distance must be 0 to 32")]
    [InlineData("--model", "missing.imgclass", "--model: missing.imgclass: no such file or folder")]
    public void Bad_options_are_one_clear_error(string option, string value, string message)
    {
        using var f = MakeFolder();
        var result = CliRunner.Run("audit", f.Root, option, value);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, result.Error);
        Assert.DoesNotContain("   at ", result.Error);
    }
}
