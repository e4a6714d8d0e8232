using System.Diagnostics;
using ImageClassifier.Imaging;
using ImageClassifier.Models;
using ImageClassifier.Serialization;
using ImageClassifier.Tests.TestSupport;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace ImageClassifier.Tests.Evaluation.Sharding;

/// <summary>
/// imgclass predict --shard as a job array runs it: three real imgclass processes over one folder, one of them killed
/// mid-run and started again; together their CSV files hold every image exactly once.
/// </summary>
public class ShardProcessTests(ITestOutputHelper output)
{
    [Fact]
    [Trait("Category", "Slow")]
    public void Three_shards_cover_a_folder_exactly_once_and_a_killed_shard_resumes_without_duplicates()
    {
        using var dir = new TempDirectory();
        string folder = ShardTests.WriteImages(dir.File("images"), 240);
        string model = dir.File("model.imgclass");
        manual_seed(1);
        // A network slow enough per image (ResNet-18 on images enlarged to 128x128, batch 1) that the kill lands mid-run.
        using (var classifier = Classifier.Create("resnet18", new ImageShape(1, 128, 128), ["a", "b", "c"])) classifier.Save(model);

        string Csv(int shard) => dir.File($"shard{shard}.csv");
        var processes = Enumerable.Range(0, 3).Select(i => Start(model, folder, Csv(i), i)).ToList();

        // kill shard 1 once it has written some rows, as a preempted node would
        var clock = Stopwatch.StartNew();
        while (Rows(Csv(1)) < 5 && !processes[1].HasExited && clock.Elapsed < TimeSpan.FromMinutes(3)) Thread.Sleep(20);
        int seen = Rows(Csv(1));
        if (processes[1].HasExited) Assert.Fail("shard 1 finished before it could be killed: " + processes[1].StandardError.ReadToEnd());
        processes[1].Kill(entireProcessTree: true);
        processes[1].WaitForExit();
        int before = Rows(Csv(1));
        output.WriteLine($"killed shard 1 after {clock.Elapsed.TotalSeconds:0.0} s, seeing {seen} rows; {before} rows written when it stopped");

        foreach (int i in new[] { 0, 2 }) Finish(processes[i], i);
        var rerun = Start(model, folder, Csv(1), 1);
        string log = Finish(rerun, 1);
        Assert.Contains($"were there already", log);

        var sources = Enumerable.Range(0, 3).SelectMany(i => File.ReadAllLines(Csv(i)).Skip(1).Select(l => l.Split(',')[0])).ToList();
        var expected = Directory.EnumerateFiles(folder, "*.png", SearchOption.AllDirectories).Order().ToList();
        Assert.Equal(expected.Count, sources.Count); // no duplicates, none lost
        Assert.Equal(expected, sources.Order());
        Assert.All(Enumerable.Range(0, 3), i => Assert.InRange(File.ReadAllLines(Csv(i)).Length - 1, 40, 120)); // each shard holds a share
        Assert.True(Rows(Csv(1)) > before, $"the rerun finished the killed shard ({before} rows before, {Rows(Csv(1))} after)");
    }

    static Process Start(string model, string folder, string csv, int shard)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in new[] { Path.Combine(AppContext.BaseDirectory, "imgclass.dll"), "predict", model, folder,
            "--output", csv, "--shard", $"{shard}/3", "--batch-size", "1", "--threads", "1" })
            start.ArgumentList.Add(argument);
        return Process.Start(start)!;
    }

    string Finish(Process process, int shard)
    {
        var error = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(3)), $"shard {shard} did not finish");
        output.WriteLine($"shard {shard}: {stdout.Trim()}");
        Assert.True(process.ExitCode == 0, $"shard {shard} failed: {error.Result}");
        Assert.Contains("images/s", error.Result);
        return stdout;
    }

    /// <summary>Complete rows in a CSV being written (its header and a torn last line not counted).</summary>
    static int Rows(string csv)
    {
        if (!File.Exists(csv)) return 0;
        using var stream = new FileStream(csv, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return Math.Max(reader.ReadToEnd().Count(c => c == '\n') - 1, 0);
    }
}
