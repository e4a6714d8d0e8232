using ImageClassifier.Data.Loading;
using ImageClassifier.Recipes;
using ImageClassifier.Tests.TestSupport;
using ImageClassifier.Training.Callbacks;
using ImageClassifier.Training.Checkpoints;

namespace ImageClassifier.Tests.Cli;

/// <summary>
/// What train does with a diverging loss (stop, or roll back with the learning rate halved), with the files of an
/// earlier run in its folder, and with --resume used wrongly: each a clear message and exit code, never a silent success.
/// </summary>
public sealed class TrainFaultTests : IDisposable
{
    readonly TempDirectory dir = new();
    readonly string data;

    public TrainFaultTests() => data = FashionMnistSubset.Write(dir.File("data"), train: 200, test: 50);

    public void Dispose() => dir.Dispose();

    string[] Train(string output, params string[] extra) =>
        ["train", "--data", data, "--epochs", "2", "--threads", "1", "--no-report", "--output", output, .. extra];

    [Fact]
    public void A_NaN_loss_fails_the_run_naming_the_epoch_and_batch_and_writes_no_model()
    {
        string output = dir.File("nan");
        var run = CliRunner.Run(Train(output, "--lr", "1e10"));
        Assert.Equal(1, run.ExitCode);
        Assert.Matches(@"error: The loss became NaN at epoch 1, batch \d+ of 6 \(learning rate 1E\+10\): lower the learning rate\.", run.Error);
        Assert.False(File.Exists(Path.Combine(output, "model.imgclass")));
        Assert.False(File.Exists(Path.Combine(output, "summary.json")));
    }

    [Fact]
    public void Rollback_on_NaN_halves_the_rate_a_bounded_number_of_times_then_gives_up()
    {
        var run = CliRunner.Run(Train(dir.File("rollback"), "--lr", "1e10", "--on-nan", "rollback"));
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("learning rate 5E+09", run.Out);
        Assert.Contains("with the learning rate halved (rollback 3 of 3)", run.Out);
        Assert.Contains($"gave up after {TrainingRecipe.MaxNanRollbacks} rollbacks, each halving the learning rate", run.Error);
    }

    [Fact]
    public void Rollback_on_NaN_returns_to_the_last_checkpoint_and_the_run_finishes()
    {
        // A NaN put into the gradients once, at epoch 2's third batch: the next batch's loss is NaN.
        bool injected = false;
        var recipe = new TrainingRecipe
        {
            Model = "mlp", Epochs = 3, BatchSize = 16, Report = false, OnNan = "rollback", ValidationSplit = 0.25,
            ExtraCallbacks = _ => [new InjectNaN(2, 3, () => !injected && (injected = true))],
        };
        using var training = TrainingData.FromDataset(Synthetic.LeftRight(128, 1), Synthetic.LeftRight(32, 3), 0.25, recipe.Seed);
        var log = new StringWriter();
        var result = recipe.Run(training, dir.File("recovered"), log);

        Assert.True(injected);
        Assert.Contains("The loss became NaN at epoch 2, batch 4 of 6", log.ToString());
        Assert.Contains("(the end of epoch 1) with the learning rate halved (rollback 1 of 3)", log.ToString());
        Assert.Equal(3, result.Epochs);
        var lr = File.ReadAllLines(Path.Combine(result.Output, "history.csv")).Skip(1).Select(l => l.Split(',')[4]).ToList();
        Assert.Equal(["0.001", "0.0005", "0.0005"], lr);
    }

    [Fact]
    public void Rollback_on_NaN_with_a_schedule_halves_the_schedule_from_there_on()
    {
        // The schedule sets the rate every batch, so the rollback must lower the schedule itself, not the rate once.
        bool injected = false;
        var recipe = new TrainingRecipe
        {
            Model = "mlp", Epochs = 3, BatchSize = 16, Report = false, OnNan = "rollback", ValidationSplit = 0.25, Schedule = "cosine",
            ExtraCallbacks = _ => [new InjectNaN(2, 3, () => !injected && (injected = true))],
        };
        using var training = TrainingData.FromDataset(Synthetic.LeftRight(128, 1), Synthetic.LeftRight(32, 3), 0.25, recipe.Seed);
        var rolledBack = Rates(recipe.Run(training, dir.File("scheduled-rollback"), TextWriter.Null));
        var plain = Rates((recipe with { ExtraCallbacks = null }).Run(training, dir.File("scheduled"), TextWriter.Null));

        Assert.True(injected);
        Assert.Equal(plain[0], rolledBack[0]);
        Assert.Equal(plain[1] / 2, rolledBack[1], 1e-12);
        Assert.Equal(plain[2] / 2, rolledBack[2], 1e-12);

        static double[] Rates(TrainingResult result) => File.ReadAllLines(Path.Combine(result.Output, "history.csv")).Skip(1)
            .Select(l => double.Parse(l.Split(',')[4], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
    }

    [Fact]
    public void A_fresh_run_removes_the_files_of_an_earlier_run_in_its_folder()
    {
        string output = dir.File("reused");
        Directory.CreateDirectory(Path.Combine(output, "checkpoints"));
        foreach (string file in new[] { "report.html", "summary.json", "fine-tune-history.csv", "checkpoints/checkpoint-000009.ckpt" })
            File.WriteAllText(Path.Combine(output, file), "an earlier run's");
        File.WriteAllText(Path.Combine(output, "notes.txt"), "the user's");

        var run = CliRunner.Run(Train(output));
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("Removed the 4 files of an earlier run", run.Out);
        Assert.False(File.Exists(Path.Combine(output, "report.html"))); // --no-report: none of this run's
        Assert.False(File.Exists(Path.Combine(output, "fine-tune-history.csv")));
        Assert.True(File.Exists(Path.Combine(output, "notes.txt")));     // not a file imgclass writes: kept
        Assert.DoesNotContain("an earlier run's", File.ReadAllText(Path.Combine(output, "summary.json")));
    }

    [Fact]
    public void Resume_takes_nothing_but_the_folder_and_runtime_options()
    {
        var extra = CliRunner.Run("train", "--resume", dir.Path, "--epochs", "5");
        Assert.Equal(1, extra.ExitCode);
        Assert.Contains("error: --resume continues a run with the options it was started with; leave out --epochs.", extra.Error);

        var nothing = CliRunner.Run("train", "--resume", dir.Path);
        Assert.Equal(1, nothing.ExitCode);
        Assert.Contains("There are no checkpoints in", nothing.Error);

        var missing = CliRunner.Run("train", "--epochs", "1");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("Give a dataset with --data (or continue a run with --resume DIR).", missing.Error);
    }

    [Fact]
    public void An_output_folder_that_cannot_be_made_is_an_error_before_training()
    {
        File.WriteAllText(dir.File("a-file"), "x");
        var run = CliRunner.Run(Train(dir.File("a-file/out")));
        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"error: Cannot create the output folder '{dir.File("a-file/out")}'", run.Error);
        Assert.DoesNotContain("Epoch 1/2", run.Out);
    }

    sealed class InjectNaN(int epoch, int batch, Func<bool> once) : Callback
    {
        public override void OnGradients(TrainingContext context, int e, int b)
        {
            if (e != epoch || b != batch || !once()) return;
            using var grad = context.Model.Network.parameters().First().grad;
            grad!.fill_(double.NaN);
        }
    }
}
