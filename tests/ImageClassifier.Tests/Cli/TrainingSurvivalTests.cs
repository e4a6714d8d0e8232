using ImageClassifier.Serialization;
using ImageClassifier.Tests.TestSupport;
using ImageClassifier.Training.Checkpoints;

namespace ImageClassifier.Tests.Cli;

/// <summary>
/// Real imgclass processes killed (SIGKILL), interrupted (SIGINT, SIGTERM) and starved (full disk, file-size limit) at
/// chosen moments, then resumed with <c>train --resume DIR</c> and nothing else: each resumed run must end with the
/// same weights, bit for bit, and the same history as one run never interrupted. That holds because the checkpoint
/// holds every random generator's state and the position in the epoch, and because the runs use one libtorch thread
/// (--threads 1): with several, a reduction may sum in another order, and weights would match only to ~1e-6.
/// The data is the first 400 Fashion-MNIST images (12 batches an epoch), 3 epochs, checkpoints every 3 batches.
/// </summary>
[Trait("Category", "Slow")]
public sealed class TrainingSurvivalTests(TrainingSurvivalTests.Reference reference) : IClassFixture<TrainingSurvivalTests.Reference>
{
    static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);
    /// <summary>Holds every training batch 150 ms (fault injection), so a signal lands mid-run however fast the machine is.</summary>
    static readonly Dictionary<string, string> SlowBatches = new() { ["IMGCLASS_TEST_BATCH_DELAY_MS"] = "150" };
    /// <summary>Holds every write of a file whose path contains <paramref name="match"/> open for 2.5 s before its rename (fault injection).</summary>
    static Dictionary<string, string> SlowWrites(string match) => new() { ["IMGCLASS_TEST_WRITE_DELAY_MS"] = "2500", ["IMGCLASS_TEST_WRITE_DELAY_MATCH"] = match };

    /// <summary>The data and the uninterrupted run every interrupted one is compared with, made once for the class.</summary>
    public sealed class Reference : IDisposable
    {
        readonly TempDirectory dir = new();

        public Reference()
        {
            Data = FashionMnistSubset.Write(dir.File("data"));
            Output = dir.File("uninterrupted");
            var (code, output) = ImgclassProcess.Run(Arguments(Output));
            Assert.True(code == 0, output);
        }

        public string Data { get; }
        public string Output { get; }

        public string[] Arguments(string output, params string[] extra) =>
            ["train", "--data", Data, "--epochs", "3", "--threads", "1", "--no-report", "--checkpoint-every", "3", "--augment", "flip,translate=0.1",
             "--output", output, .. extra];

        public void Dispose() => dir.Dispose();
    }

    [Fact]
    public void A_run_killed_at_several_points_and_resumed_each_time_ends_as_the_uninterrupted_run()
    {
        using var dir = new TempDirectory();
        string output = dir.File("run");
        string checkpoints = Path.Combine(output, "checkpoints");

        // 1. SIGKILL mid-epoch 1, just after the checkpoint at batch 6.
        using (var run = ImgclassProcess.Start(reference.Arguments(output)))
        {
            run.WaitUntil(() => File.Exists(Path.Combine(checkpoints, "checkpoint-000003.ckpt")), "the checkpoint at batch 6");
            run.Signal(9);
            Assert.Equal(137, run.WaitForExit(Limit));
        }

        // 2. Resumed, then SIGKILL in the middle of writing a checkpoint (writes held open 2.5 s to be sure of the moment).
        using (var run = ImgclassProcess.Start(["train", "--resume", output], SlowWrites(".ckpt")))
        {
            run.WaitUntil(() => Directory.EnumerateFiles(checkpoints, $"*.{run.Id}.tmp").Any(), "a checkpoint write to begin");
            run.Signal(9);
            Assert.Equal(137, run.WaitForExit(Limit));
            Assert.Single(Directory.EnumerateFiles(checkpoints, "*.tmp")); // the torn write, never renamed into place
            Assert.NotNull(new CheckpointFolder(checkpoints).ReadLatest()); // ... and the latest checkpoint is whole
        }

        // 3. Resumed, then SIGKILL while the final files are written (after training, before summary.json is renamed).
        using (var run = ImgclassProcess.Start(["train", "--resume", output], SlowWrites("summary.json")))
        {
            run.WaitUntil(() => Directory.EnumerateFiles(output, $"summary.json.{run.Id}.tmp").Any(), "summary.json to be written", TimeSpan.FromMinutes(4));
            run.Signal(9);
            Assert.Equal(137, run.WaitForExit(Limit));
            Assert.False(File.Exists(Path.Combine(output, "summary.json")));
        }

        // 4. Resumed to the end.
        var (code, log) = ImgclassProcess.Run(["train", "--resume", output], Limit);
        Assert.True(code == 0, log);
        Assert.Contains("left by an interrupted write", log); // the stale temporary of kill 3 was removed
        Assert.Empty(Directory.EnumerateFiles(output, "*.tmp", SearchOption.AllDirectories));
        Assert.False(Directory.Exists(checkpoints)); // a finished run's checkpoints are spent
        AssertSameRun(reference.Output, output);
    }

    /// <summary>
    /// SIGKILL at random moments (0.5 to 4 s after each start, wherever that falls: loading, a batch, a checkpoint write,
    /// validation, the final files), resuming after each: IMGCLASS_KILL_ROUNDS kills (default 6), then a run to the end.
    /// </summary>
    [Fact]
    public void Random_kills_and_resumes_end_as_the_uninterrupted_run()
    {
        int rounds = int.TryParse(Environment.GetEnvironmentVariable("IMGCLASS_KILL_ROUNDS"), out int n) ? n : 6;
        using var dir = new TempDirectory();
        string output = dir.File("run");
        var random = new Random(2026);
        int killed = 0, finished = 0;
        var landed = new List<string>();
        for (int round = 0; round < rounds; round++)
        {
            // Until the first checkpoint exists, a kill leaves nothing to resume: start afresh.
            bool resumable = Directory.Exists(Path.Combine(output, "checkpoints")) && Directory.EnumerateFiles(Path.Combine(output, "checkpoints"), "*.ckpt").Any();
            // Each batch held 150 ms: a round (a kill within 1.5 s) gets through at most 10 of the 36 batches, so at least three
            // kills land before the run can finish, on however fast a machine.
            using var run = ImgclassProcess.Start(resumable ? ["train", "--resume", output] : reference.Arguments(output), SlowBatches);
            Thread.Sleep(random.Next(300, 1500));
            if (run.HasExited) { finished++; break; }
            run.Signal(9);
            Assert.Equal(137, run.WaitForExit(Limit));
            killed++;
            landed.Add(new CheckpointFolder(Path.Combine(output, "checkpoints")).ReadLatest()?.Where ?? "before the first checkpoint");
        }
        if (!File.Exists(Path.Combine(output, "summary.json")))
        {
            var (code, log) = ImgclassProcess.Run(["train", "--resume", output], Limit);
            Assert.True(code == 0, log);
        }
        Console.WriteLine($"{killed} SIGKILLs survived ({finished} run finished before its kill); the result is the uninterrupted run's. " +
            $"Latest checkpoint after each kill: {string.Join("; ", landed)}");
        Assert.True(killed >= Math.Min(rounds, 3), $"only {killed} kills landed");
        AssertSameRun(reference.Output, output);
    }

    [Theory]
    [InlineData(2, "Ctrl+C (SIGINT)")]
    [InlineData(15, "SIGTERM")]
    public void A_signal_stops_after_the_batch_with_a_checkpoint_and_says_how_to_resume(int signal, string name)
    {
        using var dir = new TempDirectory();
        string output = dir.File("run");
        using (var run = ImgclassProcess.Start(reference.Arguments(output), SlowBatches))
        {
            // After epoch 1 (so the best-epoch model exists) and a checkpoint into epoch 2.
            run.WaitUntil(() => File.Exists(Path.Combine(output, "checkpoints", "checkpoint-000006.ckpt")), "a checkpoint in epoch 2");
            run.Signal(signal);
            Assert.Equal(130, run.WaitForExit(Limit));
            Assert.Contains($"{name}: stopping after the current batch", run.Output);
            Assert.Matches(@"Training was interrupted at epoch 2, batch \d+ of 12; its state is saved in .*checkpoint-0000\d\d\.ckpt", run.Output);
            Assert.Contains($"Resume with: imgclass train --resume {output}", run.Output);
        }
        Assert.False(File.Exists(Path.Combine(output, OutputFolderLockName))); // released on the way out

        // The best-epoch model written so far says what it was trained on: evaluate needs no --data.
        var evaluated = CliRunner.Run("evaluate", output);
        Assert.True(evaluated.ExitCode == 0, evaluated.Error);

        var (code, log) = ImgclassProcess.Run(["train", "--resume", output], Limit);
        Assert.True(code == 0, log);
        Assert.Matches(@"Resuming from .*checkpoint-0000\d\d\.ckpt \(epoch 2, batch \d+ of 12\)", log);
        AssertSameRun(reference.Output, output);
    }

    [Fact]
    public void A_second_SIGINT_exits_at_once_and_leaves_the_previous_checkpoint_whole()
    {
        using var dir = new TempDirectory();
        string output = dir.File("run"), checkpoints = Path.Combine(output, "checkpoints");
        using (var run = ImgclassProcess.Start(reference.Arguments(output), SlowWrites(".ckpt")))
        {
            run.WaitUntil(() => File.Exists(Path.Combine(checkpoints, "checkpoint-000002.ckpt")), "the checkpoint at batch 3", TimeSpan.FromMinutes(3));
            run.Signal(2);
            // The first SIGINT starts a checkpoint write (held 2.5 s); the second ends the process in the middle of it.
            run.WaitUntil(() => Directory.EnumerateFiles(checkpoints, $"*.{run.Id}.tmp").Any() && run.Output.Contains("stopping after the current batch"),
                "the interrupt's checkpoint write");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            run.Signal(2);
            Assert.Equal(130, run.WaitForExit(Limit));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed.TotalSeconds:0.0}s to exit");
            Assert.DoesNotContain("Training was interrupted", run.Output);
        }
        var latest = new CheckpointFolder(checkpoints).ReadLatest();
        Assert.NotNull(latest);

        var (code, log) = ImgclassProcess.Run(["train", "--resume", output], Limit);
        Assert.True(code == 0, log);
        AssertSameRun(reference.Output, output);
    }

    [SkippableFact]
    public void A_disk_that_fills_up_during_training_fails_clearly_keeps_the_last_checkpoint_and_resumes_once_freed()
    {
        using var dir = new TempDirectory();
        using var disk = Tmpfs.TryMount(dir.File("disk"), "size=24m");
        Skip.If(disk is null, "mounting a tmpfs needs root here; the file-size-limit test covers a failing write instead");
        string output = Path.Combine(disk.Path, "run"), checkpoints = Path.Combine(output, "checkpoints"), filler = Path.Combine(disk.Path, "filler");
        using (var run = ImgclassProcess.Start(reference.Arguments(output)))
        {
            run.WaitUntil(() => File.Exists(Path.Combine(checkpoints, "checkpoint-000002.ckpt")), "the checkpoint at batch 3");
            Fill(filler);
            Assert.Equal(1, run.WaitForExit(Limit));
            Assert.Contains("no space left on the device", run.Output);
            Assert.Contains("The last good checkpoint", run.Output);
        }
        Assert.Empty(Directory.EnumerateFiles(checkpoints, "*.tmp")); // the failed write cleaned up after itself
        Assert.NotNull(new CheckpointFolder(checkpoints).ReadLatest());

        File.Delete(filler);
        var (code, log) = ImgclassProcess.Run(["train", "--resume", output], Limit);
        Assert.True(code == 0, log);
        AssertSameRun(reference.Output, output);
    }

    [SkippableFact]
    public void A_disk_too_small_for_the_checkpoints_is_an_error_before_training()
    {
        using var dir = new TempDirectory();
        using var disk = Tmpfs.TryMount(dir.File("disk"), "size=1m");
        Skip.If(disk is null, "mounting a tmpfs needs root here");
        var (code, log) = ImgclassProcess.Run(reference.Arguments(Path.Combine(disk.Path, "run")), Limit);
        Assert.Equal(1, code);
        Assert.Matches(@"error: The output folder .* has [\d.]+ MB free, but this run needs about [\d.]+ MB for its checkpoints and model", log);
        Assert.DoesNotContain("Epoch 1/3", log);
    }

    [Fact]
    public void A_file_size_limit_makes_the_write_fail_with_a_message_and_no_torn_file()
    {
        // ulimit -f (RLIMIT_FSIZE) needs no privileges: a checkpoint (about 1.1 MB) cannot be written under 600 KB.
        // W^X off: the runtime's double-mapped code memory is a file, and the limit would stop it from starting.
        using var dir = new TempDirectory();
        string output = dir.File("run");
        var (code, log) = ImgclassProcess.Run(reference.Arguments(output), Limit, new Dictionary<string, string> { ["DOTNET_EnableWriteXorExecute"] = "0" },
            shellPrefix: "ulimit -f 600;");
        Assert.Equal(1, code);
        Assert.Contains("the file is larger than this process may write (a file-size limit, ulimit -f)", log);
        Assert.Contains("No checkpoint was written yet", log);
        Assert.Empty(Directory.EnumerateFiles(output, "*.tmp", SearchOption.AllDirectories));
    }

    [SkippableFact]
    public void A_read_only_output_folder_is_an_error_before_training()
    {
        using var dir = new TempDirectory();
        using var disk = Tmpfs.TryMount(dir.File("readonly"), "size=1m,ro");
        Skip.If(disk is null, "mounting a read-only tmpfs needs root here; an output path under a file is tested instead");
        var (code, log) = ImgclassProcess.Run(reference.Arguments(Path.Combine(disk.Path, "run")), Limit);
        Assert.Equal(1, code);
        Assert.Contains($"error: Cannot create the output folder '{Path.Combine(disk.Path, "run")}'", log);
    }

    [Fact]
    public void A_second_training_into_a_folder_in_use_fails_and_a_killed_ones_lock_is_taken_over()
    {
        using var dir = new TempDirectory();
        string output = dir.File("run");
        using (var first = ImgclassProcess.Start(reference.Arguments(output), SlowWrites(".ckpt")))
        {
            first.WaitUntil(() => File.Exists(Path.Combine(output, ".imgclass.lock.owner")), "the first run to lock its folder");
            var second = CliRunner.Run(reference.Arguments(output));
            Assert.Equal(1, second.ExitCode);
            Assert.Contains($"is in use by another training (process {first.Id} on", second.Error);
            first.Signal(9);
            first.WaitForExit(Limit);
        }
        // The killed run's lock file is still there, but no process holds it: a new run takes the folder.
        Assert.True(File.Exists(Path.Combine(output, OutputFolderLockName)));
        var (code, log) = ImgclassProcess.Run(reference.Arguments(output), Limit);
        Assert.True(code == 0, log);
        AssertSameRun(reference.Output, output);
    }

    const string OutputFolderLockName = ".imgclass.lock";

    /// <summary>The same model weights (bit for bit), history (without its wall-clock columns) and test figures.</summary>
    static void AssertSameRun(string expectedFolder, string actualFolder)
    {
        using (var expected = ModelFile.Load(expectedFolder))
        using (var actual = ModelFile.Load(actualFolder))
        {
            var weights = actual.Network.state_dict();
            foreach (var (name, tensor) in expected.Network.state_dict())
                Assert.True(tensor.eq(weights[name]).all().item<bool>(), $"{name} differs from the uninterrupted run's");
        }
        Assert.Equal(WithoutTimings(Path.Combine(expectedFolder, "history.csv")), WithoutTimings(Path.Combine(actualFolder, "history.csv")));
        Assert.Equal(TestFigures(expectedFolder), TestFigures(actualFolder));
    }

    static string WithoutTimings(string csv)
    {
        var rows = File.ReadAllLines(csv).Select(l => l.Split(',')).ToArray();
        var keep = Enumerable.Range(0, rows[0].Length).Where(i => rows[0][i] is not ("seconds" or "images_per_s")).ToArray();
        return string.Join("\n", rows.Select(r => string.Join(",", keep.Select(i => r[i]))));
    }

    static string TestFigures(string folder)
    {
        var summary = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "summary.json")))!;
        return $"{summary["epochs"]} {summary["best_epoch"]} {summary["test_accuracy"]} {summary["test_loss"]}";
    }

    // Writes until the file system is full (unbuffered, so that closing the file has nothing left to fail on).
    static void Fill(string path)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        var block = new byte[4096];
        try { while (true) stream.Write(block); }
        catch (IOException) { }
    }
}
