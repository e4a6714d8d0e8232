using System.Diagnostics;
using System.Text.RegularExpressions;
using ImageClassifier.Tests.Reporting;
using ImageClassifier.Tests.TestSupport;

namespace ImageClassifier.Tests.Examples;

/// <summary>
/// Runs every tutorial example (examples/NN-name.cs) as a user does, <c>dotnet run examples/NN-name.cs</c>,
/// in short mode (IMGCLASS_EXAMPLES_SHORT=1) with its output in a temporary folder, and checks that it exits
/// with 0, wrote every picture examples/README.md promises for it, and that every PNG picture it wrote (the
/// files in its own folder; subfolders hold the datasets it makes) is a real, non-blank picture.
/// Each run builds the example first (tens of seconds), so these tests are slow. The build goes into the temporary
/// folder (--artifacts-path) and is deleted with it: by default every file-based app keeps its own ~700 MB copy of
/// libtorch under ~/.local/share/dotnet/runfile, and sixteen of them filled a CI machine's disk.
/// </summary>
[Trait("Category", "Slow")]
public sealed partial class ExamplesTests
{
    static readonly TimeSpan Limit = TimeSpan.FromMinutes(10);

    /// <summary>Each row of examples/README.md's table: the example's file and the pictures it writes.</summary>
    public static TheoryData<string, string[]> Examples()
    {
        var data = new TheoryData<string, string[]>();
        foreach (var (file, pictures) in ReadmeTable()) data.Add(file, pictures);
        return data;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_runs_in_short_mode_and_writes_its_pictures(string file, string[] pictures)
    {
        string output = Directory.CreateTempSubdirectory("imgclass-examples-").FullName;
        try
        {
            var (exitCode, log) = Run(file, output);
            Assert.True(exitCode == 0, $"dotnet run examples/{file} exited with {exitCode}:\n{log}");

            string folder = Path.Combine(output, Path.GetFileNameWithoutExtension(file));
            Assert.True(Directory.Exists(folder), $"examples/{file} wrote no {folder}:\n{log}");
            var missing = pictures.Where(p => !File.Exists(Path.Combine(folder, p))).ToList();
            Assert.True(missing.Count == 0, $"examples/{file} did not write {string.Join(", ", missing)} (README promises them); it wrote " +
                string.Join(", ", Directory.EnumerateFiles(folder).Select(Path.GetFileName)));

            foreach (string png in Directory.EnumerateFiles(folder, "*.png"))
                PngAssert.Picture(File.ReadAllBytes(png), $"{Path.GetFileNameWithoutExtension(file)}-{Path.GetFileNameWithoutExtension(png)}");
            foreach (string svg in Directory.EnumerateFiles(folder, "*.svg"))
            {
                string text = File.ReadAllText(svg);
                Assert.Contains("<svg", text);
                Assert.True(Regex.Count(text, "<text") >= 3, $"{svg} has hardly any text: it looks blank");
            }
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    [Fact]
    public void Readme_lists_every_example_and_only_those()
    {
        var files = Directory.EnumerateFiles(Path.Combine(RepositoryRoot.Path, "examples"), "*.cs").Select(path => Path.GetFileName(path)!).Order().ToList();
        var listed = ReadmeTable().Select(row => row.File).Order().ToList();
        Assert.Equal(files, listed);
        Assert.All(listed, file => Assert.Matches(@"^\d\d-[a-z0-9-]+\.cs$", file));
        Assert.All(ReadmeTable(), row => Assert.NotEmpty(row.Pictures));
    }

    [Fact]
    public void Every_example_is_a_file_based_app_against_the_library()
    {
        foreach (string path in Directory.EnumerateFiles(Path.Combine(RepositoryRoot.Path, "examples"), "*.cs"))
        {
            var lines = File.ReadAllLines(path);
            Assert.Equal("#:project ../src/ImageClassifier/ImageClassifier.csproj", lines[0]);
            // File-based apps default to native AOT, which turns off the reflection-based JSON the model file uses.
            Assert.Contains("#:property PublishAot=false", lines);
            string name = Path.GetFileNameWithoutExtension(path);
            Assert.Contains($"\"{name}\"", File.ReadAllText(path)); // its output folder is named after it
        }
    }

    static (int ExitCode, string Log) Run(string file, string output)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepositoryRoot.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string arg in (string[])["run", "--artifacts-path", Path.Combine(output, "build"), Path.Combine("examples", file)])
            start.ArgumentList.Add(arg);
        // The test host's MSBuild variables would point the nested build at the test run's SDK settings.
        foreach (string name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(name);
        start.Environment["IMGCLASS_EXAMPLES_SHORT"] = "1";
        start.Environment["IMGCLASS_EXAMPLES_OUT"] = output;
        using var process = Process.Start(start)!;
        var log = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(Limit))
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"timed out after {Limit.TotalMinutes} minutes\n{log}");
        }
        process.WaitForExit(); // drains the output
        return (process.ExitCode, log.ToString());
    }

    /// <summary>examples/README.md's table rows: | `NN-name.cs` | section | what it shows | `a.png`, `b.svg` | other files |.</summary>
    static IReadOnlyList<(string File, string[] Pictures)> ReadmeTable() =>
        File.ReadLines(Path.Combine(RepositoryRoot.Path, "examples", "README.md"))
            .Select(line => line.Split('|'))
            .Where(cells => cells.Length >= 5 && ExampleFile().IsMatch(cells[1]))
            .Select(cells => (ExampleFile().Match(cells[1]).Groups[1].Value,
                PictureFile().Matches(cells[4]).Select(m => m.Groups[1].Value).ToArray()))
            .ToList();

    [GeneratedRegex(@"`(\d\d-[^`]+\.cs)`")]
    private static partial Regex ExampleFile();

    [GeneratedRegex(@"`([^`]+\.(?:png|svg))`")]
    private static partial Regex PictureFile();
}
