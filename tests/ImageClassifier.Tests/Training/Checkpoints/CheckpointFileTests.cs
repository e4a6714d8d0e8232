using System.IO.Compression;
using ImageClassifier.Imaging;
using ImageClassifier.Models;
using ImageClassifier.Tests.TestSupport;
using ImageClassifier.Training;
using ImageClassifier.Training.Checkpoints;
using static TorchSharp.torch;

namespace ImageClassifier.Tests.Training.Checkpoints;

/// <summary>Checkpoint files: checksummed parts, the newest two kept, a damaged one passed over for the one before.</summary>
public sealed class CheckpointFileTests
{
    static CheckpointFolder TrainedFolder(TempDirectory dir, int epochs = 3)
    {
        manual_seed(1);
        using var model = Classifier.Create("mlp", new ImageShape(1, 8, 8), ["left", "right"]);
        var folder = new CheckpointFolder(dir.File("checkpoints"));
        model.Fit(Synthetic.LeftRight(64, 1), null, new TrainingOptions { Epochs = epochs, BatchSize = 16 }, new Checkpointing(folder));
        return folder;
    }

    [Fact]
    public void The_newest_two_checkpoints_are_kept_and_read_back()
    {
        using var dir = new TempDirectory();
        var folder = TrainedFolder(dir);
        // One before the first batch and one per epoch: 4 written, numbered in order, the last two kept.
        Assert.Equal(["checkpoint-000003.ckpt", "checkpoint-000004.ckpt"], folder.Files.Select(Path.GetFileName));
        var latest = folder.ReadLatest()!;
        Assert.Equal(4, latest.Metadata.Epoch);       // the next epoch to run
        Assert.False(latest.Metadata.EpochBegun);
        Assert.Equal(3, latest.Metadata.History.Count);
        Assert.Equal("the end of epoch 3", latest.Where);
        Assert.Empty(Directory.EnumerateFiles(folder.Path, "*.tmp"));
    }

    [Fact]
    public void A_damaged_checkpoint_is_named_and_the_one_before_is_used()
    {
        using var dir = new TempDirectory();
        var folder = TrainedFolder(dir);
        string latest = folder.Files[^1];
        Corrupt(latest, TrainingCheckpoint.WeightsEntry);

        var e = Assert.Throws<CheckpointException>(() => CheckpointFile.Read(latest));
        Assert.Contains(latest, e.Message);
        Assert.Contains("weights.bin does not match its checksum", e.Message);

        var skipped = new List<string>();
        var used = folder.ReadLatest(skipped.Add)!;
        Assert.Equal(folder.Files[^2], used.Path);
        Assert.Single(skipped);
        Assert.Contains("damaged", skipped[0]);
    }

    [Fact]
    public void A_truncated_checkpoint_is_damaged_not_a_crash()
    {
        using var dir = new TempDirectory();
        var folder = TrainedFolder(dir, epochs: 1);
        string latest = folder.Files[^1];
        var bytes = File.ReadAllBytes(latest);
        File.WriteAllBytes(latest, bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<CheckpointException>(() => CheckpointFile.Read(latest));
        Assert.Contains("damaged", e.Message);
        Assert.Equal(folder.Files[0], folder.ReadLatest()!.Path);
    }

    [Fact]
    public void A_checkpoint_of_an_earlier_format_is_refused_by_name()
    {
        using var dir = new TempDirectory();
        var folder = TrainedFolder(dir, epochs: 1);
        string latest = folder.Files[^1];
        Rewrite(latest, "checkpoint.json", json => json.Replace($"\"version\": {CheckpointMetadata.FormatVersion},", "\"version\": 1,"));
        Rewrite(latest, "checkpoint.json.sha256", _ => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Read(latest, "checkpoint.json"))));
        var e = Assert.Throws<CheckpointException>(() => CheckpointFile.Read(latest));
        Assert.Contains(latest, e.Message);
        Assert.Contains("earlier ImageClassifier (checkpoint format 1)", e.Message);
    }

    static byte[] Read(string path, string entryName)
    {
        using var zip = ZipFile.OpenRead(path);
        using var stream = zip.GetEntry(entryName)!.Open();
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    // Replaces an entry's bytes with changed ones, leaving the rest of the archive as it was.
    static void Replace(string path, string entryName, Func<byte[], byte[]> change)
    {
        byte[] data = change(Read(path, entryName));
        using var zip = ZipFile.Open(path, ZipArchiveMode.Update);
        zip.GetEntry(entryName)!.Delete();
        using var replaced = zip.CreateEntry(entryName).Open();
        replaced.Write(data);
    }

    static void Rewrite(string path, string entryName, Func<string, string> change) => Replace(path, entryName, bytes =>
    {
        string text = System.Text.Encoding.UTF8.GetString(bytes), changed = change(text);
        Assert.NotEqual(text, changed);
        return System.Text.Encoding.UTF8.GetBytes(changed);
    });

    // Flips one byte in the middle of an entry, rewriting the archive so that only the checksum can tell.
    static void Corrupt(string path, string entryName) => Replace(path, entryName, data =>
    {
        data[data.Length / 2] ^= 0x40;
        return data;
    });
}
