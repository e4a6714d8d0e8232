using System.Globalization;
using System.Text.RegularExpressions;
using ImageClassifier.IO;

namespace ImageClassifier.Training.Checkpoints;

/// <summary>
/// The checkpoints of one run: checkpoint-000001.ckpt, checkpoint-000002.ckpt, ... (numbered in the order they were
/// written), of which the newest <see cref="Keep"/> are kept: the latest, and the one before in case the latest is
/// ever unreadable. Reading takes the newest checkpoint whose checksums match, and says which damaged ones it passed.
/// </summary>
public sealed partial class CheckpointFolder(string path, int keep = 2)
{
    public const string DefaultName = "checkpoints";

    public string Path { get; } = System.IO.Path.GetFullPath(path);
    public int Keep { get; } = keep >= 1 ? keep : throw new ArgumentOutOfRangeException(nameof(keep), keep, "At least one checkpoint must be kept.");

    /// <summary>The checkpoint files, oldest first.</summary>
    public IReadOnlyList<string> Files => !Directory.Exists(Path) ? [] :
        Directory.EnumerateFiles(Path, "checkpoint-*" + CheckpointFile.Extension)
            .Select(f => (File: f, Number: Number(f))).Where(f => f.Number > 0).OrderBy(f => f.Number).Select(f => f.File).ToList();

    /// <summary>Writes <paramref name="checkpoint"/> as the next file and deletes all but the newest <see cref="Keep"/>; returns its path.</summary>
    public string Save(TrainingCheckpoint checkpoint)
    {
        var files = Files;
        long next = files.Count == 0 ? 1 : Number(files[^1]) + 1;
        string file = System.IO.Path.Combine(Path, string.Create(CultureInfo.InvariantCulture, $"checkpoint-{next:D6}{CheckpointFile.Extension}"));
        CheckpointFile.Write(file, checkpoint);
        foreach (string old in Files.SkipLast(Keep))
        {
            try { File.Delete(old); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // an extra old file costs only space
        }
        return file;
    }

    /// <summary>
    /// The newest readable checkpoint, or null when there is none; <paramref name="skipped"/> hears of each damaged one
    /// passed over (path and reason).
    /// </summary>
    public TrainingCheckpoint? ReadLatest(Action<string>? skipped = null)
    {
        foreach (string file in Files.Reverse())
        {
            try { return CheckpointFile.Read(file); }
            catch (CheckpointException e) { skipped?.Invoke(e.Message); }
        }
        return null;
    }

    /// <summary>Deletes every checkpoint (a fresh run into a folder that held an earlier one, or a finished run), and the folder when asked and empty.</summary>
    public void Clear(bool removeFolder = false)
    {
        foreach (string file in Files) File.Delete(file);
        if (removeFolder && Directory.Exists(Path) && !Directory.EnumerateFileSystemEntries(Path).Any()) Directory.Delete(Path);
    }

    /// <summary>Temporary files that killed writes left here (see <see cref="AtomicFile.RemoveStaleTemporaries"/>).</summary>
    public IReadOnlyList<string> RemoveStaleTemporaries() => AtomicFile.RemoveStaleTemporaries(Path);

    static long Number(string file)
    {
        var match = FileName().Match(System.IO.Path.GetFileName(file));
        return match.Success && long.TryParse(match.Groups[1].Value, CultureInfo.InvariantCulture, out long n) ? n : 0;
    }

    [GeneratedRegex(@"^checkpoint-(\d+)\.ckpt$")]
    private static partial Regex FileName();
}
