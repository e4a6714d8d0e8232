using ImageClassifier.Evaluation.Sharding;
using ImageClassifier.Imaging;
using ImageClassifier.Models;
using ImageClassifier.Tests.TestSupport;
using static TorchSharp.torch;

namespace ImageClassifier.Tests.Evaluation.Sharding;

/// <summary>The deterministic split of an image collection into shards, and resumable prediction into a CSV file.</summary>
public class ShardTests
{
    [Fact]
    public void Shards_cover_every_key_exactly_once_and_evenly()
    {
        var keys = Enumerable.Range(0, 3000).Select(i => $"class{i % 7}/img_{i:D5}.png").ToList();
        var shards = Enumerable.Range(0, 3).Select(i => new Shard(i, 3)).ToList();
        foreach (string key in keys) Assert.Single(shards, s => s.Contains(key));
        foreach (var shard in shards) Assert.InRange(keys.Count(shard.Contains), 900, 1100);
        Assert.All(keys, key => Assert.True(Shard.All.Contains(key)));
    }

    [Fact]
    public void The_hash_is_fnv1a_and_stable_across_runs_and_separators()
    {
        // Pinned: a different hash would move images between shards of a job started with an older imgclass.
        Assert.Equal(0xaf63dc4c8601ec8cUL, Shard.Hash("a"));
        Assert.Equal(0xcbf29ce484222325UL, Shard.Hash(""));
        Assert.Equal(Shard.Hash("cats/1.png"), Shard.Hash(@"cats\1.png"));
    }

    [Theory]
    [InlineData("3/3")]
    [InlineData("-1/3")]
    [InlineData("1/0")]
    [InlineData("1")]
    [InlineData("a/b")]
    public void A_bad_shard_is_a_clear_error(string text)
    {
        var error = Assert.Throws<ArgumentException>(() => Shard.Parse(text));
        Assert.Contains("--shard", error.Message);
        Assert.Equal(new Shard(2, 3), Shard.Parse("2/3"));
    }

    [Fact]
    public void A_rerun_skips_what_is_done_and_cuts_off_a_torn_last_line()
    {
        using var dir = new TempDirectory();
        string folder = WriteImages(dir.File("images"), 12);
        using var model = Model();
        string csv = dir.File("out.csv");

        var first = ShardedPrediction.Run(model, [folder], csv, Shard.All, topK: 2, batchSize: 5);
        Assert.Equal((12, 0, 12), (first.Total, first.AlreadyDone, first.Predicted));
        var lines = File.ReadAllLines(csv);
        Assert.Equal("source,true_class,class_1,probability_1,class_2,probability_2,note", lines[0]);
        Assert.Equal(13, lines.Length);

        // as a kill leaves it: three rows lost and the fourth cut mid-write
        File.WriteAllText(csv, string.Join("\n", lines.Take(9)) + "\n" + lines[9][..10]);
        var second = ShardedPrediction.Run(model, [folder], csv, Shard.All, topK: 2, batchSize: 5);
        Assert.Equal((12, 8, 4), (second.Total, second.AlreadyDone, second.Predicted));
        var after = File.ReadAllLines(csv);
        Assert.Equal(13, after.Length);
        Assert.Equal(lines.Skip(1).Order(), after.Skip(1).Order()); // same rows, each once, none torn

        var third = ShardedPrediction.Run(model, [folder], csv, Shard.All, topK: 2);
        Assert.Equal((12, 12, 0), (third.Total, third.AlreadyDone, third.Predicted));
        Assert.Equal(13, File.ReadAllLines(csv).Length);

        var otherTop = Assert.Throws<ArgumentException>(() => ShardedPrediction.Run(model, [folder], csv, Shard.All, topK: 3));
        Assert.Contains("out.csv: it holds other predictions", otherTop.Message);
    }

    [Fact]
    public void Unreadable_files_get_a_row_so_that_a_rerun_does_not_retry_them()
    {
        using var dir = new TempDirectory();
        string folder = WriteImages(dir.File("images"), 3);
        File.WriteAllText(Path.Combine(folder, "notes.txt"), "not an image");
        using var model = Model();
        var strict = Assert.Throws<ImageClassifier.Imaging.ImageDecodeException>(() => ShardedPrediction.Run(model, [folder], dir.File("strict.csv"), Shard.All, strict: true));
        Assert.Contains("notes.txt", strict.Message);

        string csv = dir.File("new/folder/out.csv"); // made when missing
        var result = ShardedPrediction.Run(model, [folder], csv, Shard.All, topK: 1);
        Assert.Equal((4, 3, 1, 0), (result.Total, result.Predicted, result.Unreadable, result.Remaining));
        var row = File.ReadAllLines(csv).Single(l => l.Contains("notes.txt"));
        Assert.Matches(@"notes\.txt,,,,""?unreadable: ", row);
        Assert.Equal(0, ShardedPrediction.Run(model, [folder], csv, Shard.All, topK: 1).Predicted);
    }

    static Classifier Model()
    {
        manual_seed(3);
        return Classifier.Create("mlp", new ImageShape(1, 28, 28), ["a", "b", "c"]);
    }

    /// <summary>Real Fashion-MNIST images as PNG files in two subfolders.</summary>
    public static string WriteImages(string folder, int count)
    {
        for (int i = 0; i < count; i++)
            ImageEncoder.WritePng(Path.Combine(folder, i % 2 == 0 ? "even" : "odd", $"{i:D5}.png"), FashionMnist.Test.Image(i), FashionMnist.Test.Shape);
        return folder;
    }
}
