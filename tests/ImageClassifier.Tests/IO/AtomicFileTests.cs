using System.Diagnostics;
using ImageClassifier.IO;
using ImageClassifier.Tests.TestSupport;

namespace ImageClassifier.Tests.IO;

/// <summary>Atomic writes leave the old file or the whole new one; temporaries of dead processes are removed; one run per output folder.</summary>
public sealed class AtomicFileTests
{
    [Fact]
    public void A_write_replaces_the_file_and_leaves_no_temporary()
    {
        using var dir = new TempDirectory();
        string path = dir.File("sub/summary.json");
        AtomicFile.WriteAllText(path, "old");
        AtomicFile.WriteAllText(path, "new");
        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal(["summary.json"], Directory.EnumerateFiles(dir.File("sub")).Select(Path.GetFileName));
    }

    [Fact]
    public void A_write_that_fails_halfway_keeps_the_old_file_and_removes_its_temporary()
    {
        using var dir = new TempDirectory();
        string path = dir.File("history.csv");
        AtomicFile.WriteAllText(path, "old");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("half of the new"u8);
            throw new InvalidOperationException("the writer failed");
        }));
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal(["history.csv"], Directory.EnumerateFiles(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Temporaries_of_dead_processes_are_removed_and_those_of_live_ones_kept()
    {
        using var dir = new TempDirectory();
        int dead = DeadProcessId();
        string stale = dir.File($"model.imgclass.{dead}.tmp");
        string live = dir.File($"checkpoint-000002.ckpt.{Environment.ProcessId}.tmp");
        string unrelated = dir.File("notes.tmp");
        foreach (string file in new[] { stale, live, unrelated }) File.WriteAllText(file, "x");

        var removed = AtomicFile.RemoveStaleTemporaries(dir.Path);

        Assert.Equal([stale], removed);
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(live));       // this process's own write may be in progress
        Assert.True(File.Exists(unrelated));  // not named as an atomic write's temporary
    }

    [Fact]
    public void A_second_run_cannot_lock_a_folder_in_use_and_is_told_by_whom()
    {
        using var dir = new TempDirectory();
        using (var first = OutputFolderLock.Acquire(dir.Path))
        {
            var e = Assert.Throws<IOException>(() => OutputFolderLock.Acquire(dir.Path));
            Assert.Contains("is in use by another training", e.Message);
            Assert.Contains($"process {Environment.ProcessId}", e.Message);
        }
        Assert.False(File.Exists(dir.File(OutputFolderLock.FileName)));
        using var again = OutputFolderLock.Acquire(dir.Path); // free once the first is done
    }

    [Fact]
    public void A_lock_file_left_by_a_killed_process_is_taken_over()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File(OutputFolderLock.FileName), "");
        File.WriteAllText(dir.File(OutputFolderLock.OwnerFileName), $"pid {DeadProcessId()}\nhost elsewhere\nstarted 2020-01-01T00:00:00Z\n");
        using var taken = OutputFolderLock.Acquire(dir.Path);
        Assert.Contains($"pid {Environment.ProcessId}", File.ReadAllText(dir.File(OutputFolderLock.OwnerFileName)));
    }

    [Fact]
    public void An_unwritable_output_folder_is_a_clear_error()
    {
        using var dir = new TempDirectory();
        // Under a regular file no folder can be made, whoever runs the test (root ignores permissions).
        File.WriteAllText(dir.File("a-file"), "x");
        var e = Assert.Throws<IOException>(() => OutputFolderLock.Acquire(dir.File("a-file/out")));
        Assert.Contains("Cannot create the output folder", e.Message);
        Assert.Contains(dir.File("a-file/out"), e.Message);
    }

    /// <summary>The id of a process that has ended.</summary>
    static int DeadProcessId()
    {
        using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        process.WaitForExit();
        return process.Id;
    }
}
