using System.Diagnostics;
using ImageClassifier.Serialization;
using ImageClassifier.Tests.TestSupport;

namespace ImageClassifier.Tests.Distributed;

/// <summary>
/// Real Open MPI jobs of imgclass on this host (mpirun over shared memory and loopback): 2-rank training
/// matches 1-process training, ranks that disagree stop together with one message, and a rank that dies or
/// hangs makes the other exit with a clear message within the timeout.
/// </summary>
[Trait("Category", "Slow")]
public class MpiTrainingTests
{
    static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);

    // Fashion-MNIST's first 570 training images: 512 to train (a multiple of the job's batch of 64, so no share is
    // padded) and 58 held out for validation (29 per rank); the Keras MLP (no dropout, no batch norm: nothing
    // random or batch-dependent but the shuffle), plain SGD, one thread per rank, a fixed seed.
    static string[] Args(string output, int batch, params string[] more) =>
    [
        "train", "-d", "fashion-mnist", "--limit", "570", "--epochs", "2", "--model", "mlp",
        "--optimizer", "sgd", "--lr", "0.05", "--momentum", "0", "--threads", "1", "--seed", "7", "--no-report",
        "-b", batch.ToString(), "-o", output, .. more,
    ];

    [SkippableFact]
    public void Two_ranks_train_the_same_weights_as_one_process_with_the_same_total_batch_and_rate()
    {
        Skip.If(MpiJob.Mpirun is null, "Open MPI (mpirun) is not installed: apt-get install openmpi-bin");
        using var temp = new TempDirectory();

        var single = MpiJob.Run(1, Args("single", 64), temp.Path, Limit);
        var pair = MpiJob.Run(2, Args("pair", 32, "--distributed", "--no-lr-scaling"), temp.Path, Limit);

        Assert.True(single.ExitCode == 0, single.Output);
        Assert.True(pair.ExitCode == 0, pair.Output);
        Assert.Contains("Distributed: 2 ranks, 32 images per rank and step (64 in all), learning rate 0.05 unscaled", pair.Output);
        Assert.Single(pair.Output.Split('\n'), l => l.StartsWith("Wrote ")); // rank 0 alone writes and prints
        using var one = ModelFile.Load(Path.Combine(temp.Path, "single", "model.imgclass"));
        using var two = ModelFile.Load(Path.Combine(temp.Path, "pair", "model.imgclass"));

        // Tolerance: the 2-rank gradient is (sum of 32 + sum of 32) / 2 / 32 where the single process reduces all 64 at
        // once; float32 rounds the partial sums differently, so the weights may part by a few units in the last place
        // after 16 SGD steps (measured: 7.5e-9 on weights of size ~0.05). 1e-6 is over 100 times that, and far below
        // what a real fault gives (gradients summed not averaged, overlapping or missing shards: 1e-3 and more).
        var a = one.Network.named_parameters().ToList();
        var b = two.Network.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        double worst = 0;
        foreach (var (name, parameter) in a)
        {
            using var diff = (parameter - b[name]).abs().max();
            worst = Math.Max(worst, diff.item<float>());
        }
        Assert.True(worst < 1e-6, $"largest weight difference {worst:g3}");
        // The histories agree too: training loss and accuracy averaged over the ranks, validation figures combined
        // from each rank's half of the validation set, equal the single process's.
        var historyOne = History(Path.Combine(temp.Path, "single", "history.csv"));
        var historyTwo = History(Path.Combine(temp.Path, "pair", "history.csv"));
        foreach (string metric in (string[])["loss", "accuracy", "val_loss", "val_accuracy"])
            Assert.All(historyOne[metric].Zip(historyTwo[metric]), p => Assert.Equal(p.First, p.Second, 1e-5));
        Assert.False(Directory.Exists(Path.Combine(temp.Path, "pair", "rank1")));
    }

    static Dictionary<string, double[]> History(string csv)
    {
        var lines = File.ReadAllLines(csv);
        var columns = lines[0].Split(',');
        return columns.Select((c, i) => (c, lines[1..].Select(l => double.Parse(l.Split(',')[i], System.Globalization.CultureInfo.InvariantCulture)).ToArray()))
            .ToDictionary(p => p.c, p => p.Item2);
    }

    [SkippableFact]
    public void With_synchronised_batch_norm_two_ranks_train_as_one_process_and_without_it_they_do_not()
    {
        Skip.If(MpiJob.Mpirun is null, "Open MPI (mpirun) is not installed: apt-get install openmpi-bin");
        using var temp = new TempDirectory();
        // 64 real Fashion-MNIST images (one step of 64) as an IDX folder with a small test split (the report and a 10,000-image test
        // pass would only cost time); ResNet-20 has a batch-norm layer after each of its 19 convolutions.
        string data = IdxFolder(Path.Combine(temp.Path, "data"), train: 64, test: 8);
        string[] Resnet(string output, int batch, params string[] more) =>
            [.. Args(output, batch, ["--validation-split", "0", .. more]).Select(a => a switch { "fashion-mnist" => data, "570" => "64", "2" => "1", "mlp" => "resnet-small", _ => a })];

        var single = MpiJob.Run(1, Resnet("single", 64), temp.Path, Limit);
        var synced = MpiJob.Run(2, Resnet("synced", 32, "--distributed", "--no-lr-scaling", "--sync-batch-norm"), temp.Path, Limit);
        var local = MpiJob.Run(2, Resnet("local", 32, "--distributed", "--no-lr-scaling"), temp.Path, Limit);

        Assert.True(single.ExitCode == 0, single.Output);
        Assert.True(synced.ExitCode == 0, synced.Output);
        Assert.True(local.ExitCode == 0, local.Output);
        // Tolerance: synchronised statistics are float64 moments (E[x^2] - E[x]^2) where libtorch computes the
        // variance in float32 directly, and BN's backward amplifies such differences: after this one step the
        // weights and running statistics are 1.1e-5 apart (measured), local batch norm 6.9e-3. Over more steps
        // both grow (2 steps: 1.4e-3 against 3.0e-2), so one step is what the test can pin down.
        double syncedApart = LargestDifference(Path.Combine(temp.Path, "single"), Path.Combine(temp.Path, "synced"));
        double localApart = LargestDifference(Path.Combine(temp.Path, "single"), Path.Combine(temp.Path, "local"));
        Assert.True(syncedApart < 1e-4, $"synchronised batch norm: largest weight or statistic difference {syncedApart:g3}");
        Assert.True(localApart > 20 * syncedApart, $"local batch norm should part clearly: {localApart:g3} against {syncedApart:g3}");
    }

    // The first train (and test) Fashion-MNIST training images as an IDX folder: a small test split, where the real
    // one's 10,000 images would only cost time.
    static string IdxFolder(string data, int train, int test)
    {
        Directory.CreateDirectory(data);
        var images = FashionMnist.Train;
        File.WriteAllBytes(Path.Combine(data, "train-images-idx3-ubyte"), IdxFiles.Images(train, 28, 28, images.Pixels[..(train * 784)]));
        File.WriteAllBytes(Path.Combine(data, "train-labels-idx1-ubyte"), IdxFiles.Labels(images.Labels.Take(train)));
        File.WriteAllBytes(Path.Combine(data, "t10k-images-idx3-ubyte"), IdxFiles.Images(test, 28, 28, images.Pixels[..(test * 784)]));
        File.WriteAllBytes(Path.Combine(data, "t10k-labels-idx1-ubyte"), IdxFiles.Labels(images.Labels.Take(test)));
        return data;
    }

    [SkippableFact]
    public void A_killed_job_resumed_with_as_many_ranks_ends_as_the_uninterrupted_job_and_another_number_is_refused()
    {
        Skip.If(MpiJob.Mpirun is null, "Open MPI (mpirun) is not installed: apt-get install openmpi-bin");
        using var temp = new TempDirectory();
        // ResNet-20 (batch norm everywhere, local statistics) with flip and crop augmentation: every rank draws its own
        // random numbers, and its batch-norm statistics are its own until the epoch ends.
        string data = IdxFolder(Path.Combine(temp.Path, "data"), train: 256, test: 16);
        string[] Job(string output) => ["train", "-d", data, "--epochs", "4", "--model", "resnet-small", "--augment", "flip,crop=2",
            "--optimizer", "sgd", "--lr", "0.05", "--threads", "1", "--seed", "7", "--validation-split", "0.125", "--no-report",
            "-b", "16", "-o", output, "--distributed", "--no-lr-scaling"];

        var whole = MpiJob.Run(2, Job("whole"), temp.Path, Limit);
        Assert.True(whole.ExitCode == 0, whole.Output);

        // The same job, killed (SIGKILL to mpirun and both ranks) once the end of its first epoch is checkpointed.
        string checkpoints = Path.Combine(temp.Path, "cut", "checkpoints");
        var lines = new List<string>();
        using (var mpirun = MpiJob.Start(2, Job("cut"), temp.Path, line => { lock (lines) lines.Add(line); }))
        {
            var clock = Stopwatch.StartNew();
            while (!File.Exists(Path.Combine(checkpoints, "checkpoint-000002.ckpt")) && !mpirun.HasExited && clock.Elapsed < Limit) Thread.Sleep(20);
            mpirun.Kill(entireProcessTree: true);
            mpirun.WaitForExit();
        }
        Assert.False(File.Exists(Path.Combine(temp.Path, "cut", "model.imgclass")) && !Directory.Exists(checkpoints),
            "the job finished before it was killed:\n" + string.Join("\n", lines));

        // Another number of ranks is refused, naming the one that wrote the checkpoint, and changes nothing.
        var single = MpiJob.Run(1, ["train", "--resume", "cut"], temp.Path, Limit);
        Assert.Equal(1, single.ExitCode);
        Assert.Contains("was written by a job of 2 ranks and this run has a single process: resume it with mpirun -np 2", single.Output);

        var resumed = MpiJob.Run(2, ["train", "--resume", "cut"], temp.Path, Limit);
        Assert.True(resumed.ExitCode == 0, resumed.Output);
        Assert.Matches(@"Resuming from \S+checkpoint-\d+\.ckpt \(the end of epoch [123]\)", resumed.Output);
        // Deterministic on both sides (one thread per rank, the same seeds, epochs reseeded at their start), so the
        // resumed job's weights and batch-norm statistics equal the uninterrupted job's exactly.
        Assert.Equal(0, LargestDifference(Path.Combine(temp.Path, "whole"), Path.Combine(temp.Path, "cut")));
        var historyWhole = History(Path.Combine(temp.Path, "whole", "history.csv"));
        var historyCut = History(Path.Combine(temp.Path, "cut", "history.csv"));
        foreach (string metric in (string[])["loss", "accuracy", "val_loss", "val_accuracy"])
            Assert.Equal(historyWhole[metric], historyCut[metric]);
    }

    // The largest absolute difference between the weights and buffers (batch-norm running statistics) of two trained models.
    static double LargestDifference(string folderA, string folderB)
    {
        using var a = ModelFile.Load(Path.Combine(folderA, "model.imgclass"));
        using var b = ModelFile.Load(Path.Combine(folderB, "model.imgclass"));
        var other = b.Network.state_dict();
        double worst = 0;
        foreach (var (name, tensor) in a.Network.state_dict())
        {
            if (!tensor.is_floating_point()) continue;
            using var diff = (tensor - other[name]).abs().max();
            worst = Math.Max(worst, diff.item<float>());
        }
        return worst;
    }

    [SkippableFact]
    public void Two_ranks_stream_a_folder_with_augmentation_class_weights_and_oversampling()
    {
        Skip.If(MpiJob.Mpirun is null, "Open MPI (mpirun) is not installed: apt-get install openmpi-bin");
        using var temp = new TempDirectory();
        string folder = ImageFolders.FashionMnistPngs(Path.Combine(temp.Path, "pngs"), [0, 1, 2], perClass: 40);

        var job = MpiJob.Run(2, ["train", "-d", Path.Combine(folder, "train"), "--epochs", "2", "--model", "mlp", "--threads", "1", "-b", "16",
            "--stream", "--augment", "flip", "--class-weights", "balanced", "--oversample", "--no-report", "-o", "out", "--distributed"], temp.Path, Limit);

        Assert.True(job.ExitCode == 0, job.Output);
        Assert.Contains("Distributed: 2 ranks, 16 images per rank and step (32 in all), learning rate 0.001 x 2 after 2 warmup epoch(s)", job.Output);
        var history = File.ReadAllLines(Path.Combine(temp.Path, "out", "history.csv"));
        Assert.Contains("allreduce_ms", history[0]);
        Assert.Equal(3, history.Length);
        // The warmup: epoch 1 starts at --lr, and the rate rises over the warmup's steps towards 2 x --lr.
        int lr = Array.IndexOf(history[0].Split(','), "lr");
        double Rate(int epoch) => double.Parse(history[epoch].Split(',')[lr], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(Rate(1) <= Rate(2) && Rate(2) > 0.001 && Rate(2) < 0.002, string.Join("\n", history));
    }

    [SkippableFact]
    public void Ranks_given_different_data_stop_together_with_one_message()
    {
        Skip.If(MpiJob.Mpirun is null, "Open MPI (mpirun) is not installed: apt-get install openmpi-bin");
        using var temp = new TempDirectory();
        string[] rank0 = Args("out", 32, "--distributed");
        string[] rank1 = [.. rank0.Select(a => a == "570" ? "300" : a)];

        var job = MpiJob.Run([rank0, rank1], temp.Path, Limit);

        Assert.NotEqual(0, job.ExitCode);
        var errors = job.Output.Split('\n').Where(l => l.StartsWith("error:")).ToList();
        Assert.Equal(["error: The ranks of this job differ from rank 0 in the data (image counts, shape and labels) (rank 1). Every rank must run the same command on the same data."], errors);
        Assert.False(File.Exists(Path.Combine(temp.Path, "out", "model.imgclass")));
    }

    [SkippableFact]
    public void A_killed_rank_makes_the_other_exit_with_a_clear_message()
    {
        var (job, elapsed) = KillRankOneMidTraining("KILL");

        Assert.NotEqual(0, job.ExitCode);
        Assert.Contains("error: rank 0 of 2: stopped by the launcher (SIGTERM), most likely because another rank failed: see its message.", job.Output);
        Assert.Contains("process rank 1", job.Output); // mpirun names the rank that died
        Assert.True(elapsed < TimeSpan.FromSeconds(30), $"the job took {elapsed.TotalSeconds:0} s to stop");
    }

    [SkippableFact]
    public void A_hung_rank_makes_the_other_exit_with_a_clear_message_within_the_timeout()
    {
        var (job, elapsed) = KillRankOneMidTraining("STOP");

        Assert.Equal(3, job.ExitCode); // Communicator.TimeoutExitCode, passed on by mpirun
        // Usually met while averaging gradients; at an epoch's end it would be while combining the figures.
        Assert.Matches(@"error: rank 0 of 2: (averaging gradients|combining the epoch's figures) did not complete within 5 s: another rank has died or hangs\. Stopping \(the distributed timeout is 5 s\)\.", job.Output);
        Assert.True(elapsed < TimeSpan.FromSeconds(5 + 25), $"the job took {elapsed.TotalSeconds:0} s to stop");
    }

    // Starts a 2-rank job long enough to still be training, waits for rank 0's first progress line, sends rank 1
    // the signal and returns the job's result with the time from the signal to mpirun's exit.
    static (MpiJob.Result Job, TimeSpan Elapsed) KillRankOneMidTraining(string signal)
    {
        Skip.If(MpiJob.Mpirun is null, "Open MPI (mpirun) is not installed: apt-get install openmpi-bin");
        using var temp = new TempDirectory();
        var lines = new List<string>();
        var training = new ManualResetEventSlim();
        string[] args = ["train", "-d", "fashion-mnist", "--limit", "20000", "--epochs", "50", "--model", "mlp", "--threads", "1",
            "--no-report", "-o", "out", "--distributed", "--distributed-timeout", "5"];
        using var mpirun = MpiJob.Start(2, args, temp.Path, line =>
        {
            lock (lines) lines.Add(line);
            if (line.StartsWith("Epoch 1/50 ")) training.Set();
        });
        int? victim = null;
        try
        {
            Assert.True(training.Wait(Limit), "training did not start:\n" + string.Join("\n", lines));
            victim = MpiJob.RankProcess(mpirun, 1);
            Assert.NotNull(victim);
            using (var kill = Process.Start("kill", ["-" + signal, victim.Value.ToString()])) kill.WaitForExit();
            var clock = Stopwatch.StartNew();
            Assert.True(mpirun.WaitForExit(TimeSpan.FromSeconds(60)), "the job did not stop:\n" + string.Join("\n", lines));
            mpirun.WaitForExit();
            lock (lines) return (new MpiJob.Result(mpirun.ExitCode, string.Join("\n", lines), clock.Elapsed), clock.Elapsed);
        }
        finally
        {
            if (!mpirun.HasExited) mpirun.Kill(entireProcessTree: true);
            if (victim is int pid) try { Process.GetProcessById(pid).Kill(); } catch (ArgumentException) { } catch (InvalidOperationException) { }
        }
    }
}
