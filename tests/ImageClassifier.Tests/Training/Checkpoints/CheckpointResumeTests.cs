using ImageClassifier.Imaging;
using ImageClassifier.Imaging.Augmentation;
using ImageClassifier.Models;
using ImageClassifier.Models.Layers;
using ImageClassifier.Tests.TestSupport;
using ImageClassifier.Training;
using ImageClassifier.Training.Averaging;
using ImageClassifier.Training.Callbacks;
using ImageClassifier.Training.Checkpoints;
using ImageClassifier.Training.Schedules;
using static TorchSharp.torch;

namespace ImageClassifier.Tests.Training.Checkpoints;

/// <summary>
/// A run stopped at a batch and resumed from its checkpoint ends exactly as a run that never stopped: same weights
/// bit for bit, same history. Every source of randomness is in play (shuffling, batch augmentation, an augmentation
/// layer, dropout), and so is every stateful callback (early stopping's best weights, reduce-LR's counters). One
/// libtorch thread, because a multi-threaded reduction may sum in a different order from run to run.
/// </summary>
public sealed class CheckpointResumeTests : IDisposable
{
    readonly int threads = get_num_threads();

    public CheckpointResumeTests() => set_num_threads(1);

    public void Dispose() => set_num_threads(threads);

    static Classifier NewModel()
    {
        manual_seed(3);
        var spec = new ModelSpec("resume-test", [1, 8, 8], 2,
            [new Augment("flip", Seed: 5), new Flatten(), new Dense(32, "relu"), new Dropout(0.3), new Dense(2)]);
        return new Classifier(spec, ["left", "right"]);
    }

    static TrainingOptions Options(string optimizer) => new()
    {
        Epochs = 4, BatchSize = 16, Optimizer = optimizer, LearningRate = optimizer == "sgd" ? 0.05 : 1e-3, Seed = 11,
        Augmentation = AugmentationSpec.Parse("flip,translate=0.1"),
    };

    // Fresh callbacks each run; min_delta so large that reduce-LR lowers the rate at every epoch end after the first.
    static List<Callback> Callbacks(CheckpointFolder folder, int every, CancellationToken stop) =>
    [
        new NonFiniteLossGuard(),
        new EarlyStopping("val_loss", patience: 10),
        new ReduceLROnPlateau("val_loss", factor: 0.5, patience: 1, minDelta: 1e9),
        new Checkpointing(folder, every, stop: stop),
    ];

    [Theory]
    [InlineData("adam", 2, 10)]  // stopped mid-epoch 2 (12 batches an epoch), after a checkpoint every 4 batches
    [InlineData("sgd", 2, 12)]   // SGD's momentum; stopped on an epoch's last batch, before its validation
    [InlineData("adamw", 3, 1)]  // stopped at the first batch of epoch 3
    public void A_run_stopped_and_resumed_ends_with_the_same_weights_and_history(string optimizer, int stopEpoch, int stopBatch)
    {
        using var dir = new TempDirectory();
        var (train, validation) = (Synthetic.LeftRight(192, 1), Synthetic.LeftRight(48, 2));

        using var reference = NewModel();
        var expected = reference.Fit(train, validation, Options(optimizer), Callbacks(new CheckpointFolder(dir.File("a")), 4, default));

        // The same run, asked to stop (as a signal does) at a given batch: it writes a checkpoint and throws.
        var folder = new CheckpointFolder(dir.File("b"));
        using var stop = new CancellationTokenSource();
        var trigger = new StopAt(stopEpoch, stopBatch, stop);
        using (var interrupted = NewModel())
        {
            var callbacks = Callbacks(folder, 4, stop.Token);
            callbacks.Insert(0, trigger);
            var e = Assert.Throws<TrainingInterruptedException>(() => interrupted.Fit(train, validation, Options(optimizer), callbacks));
            Assert.Contains($"epoch {stopEpoch}, batch {stopBatch}", e.Message);
            Assert.Equal(folder.Files[^1], e.CheckpointPath);
        }
        Assert.True(folder.Files.Count <= 2, $"only the newest two checkpoints are kept: {string.Join(", ", folder.Files)}");

        // A new model (fresh weights, fresh callbacks), resumed from the checkpoint in a new Fit.
        using var resumed = NewModel();
        var checkpoint = folder.ReadLatest()!;
        var history = resumed.Fit(train, validation, Options(optimizer) with { ResumeFrom = checkpoint }, Callbacks(folder, 4, default));

        AssertSameWeights(reference, resumed);
        Assert.Equal(Without(expected, "seconds", "images_per_s"), Without(history, "seconds", "images_per_s"));
        Assert.Equal(expected.Values("lr"), history.Values("lr"));
    }

    [Fact]
    public void A_one_cycle_schedule_and_a_moving_average_resume_exactly_too()
    {
        using var dir = new TempDirectory();
        var (train, validation) = (Synthetic.LeftRight(192, 1), Synthetic.LeftRight(48, 2));
        List<Callback> Planned(CheckpointFolder folder, CancellationToken stop) =>
            [new LearningRateScheduler(LearningRateSchedule.Parse("one-cycle")), new ExponentialMovingAverage(0.9), new Checkpointing(folder, 5, stop: stop)];

        using var reference = NewModel();
        var expected = reference.Fit(train, validation, Options("sgd"), Planned(new CheckpointFolder(dir.File("a")), default));

        var folder = new CheckpointFolder(dir.File("b"));
        using var stop = new CancellationTokenSource();
        using (var interrupted = NewModel())
            Assert.Throws<TrainingInterruptedException>(() =>
                interrupted.Fit(train, validation, Options("sgd"), [new StopAt(3, 7, stop), .. Planned(folder, stop.Token)]));

        using var resumed = NewModel();
        var history = resumed.Fit(train, validation, Options("sgd") with { ResumeFrom = folder.ReadLatest() }, Planned(folder, default));
        AssertSameWeights(reference, resumed);  // the averaged weights, put in place at the end
        Assert.Equal(Without(expected, "seconds", "images_per_s"), Without(history, "seconds", "images_per_s"));
    }

    [Fact]
    public void Callback_states_survive_a_checkpoint()
    {
        using var dir = new TempDirectory();
        var folder = new CheckpointFolder(dir.File("ckpt"));
        var stopper = new EarlyStopping("val_loss", patience: 10);
        var reducer = new ReduceLROnPlateau("val_loss", factor: 0.5, patience: 1, minDelta: 1e9);
        using (var model = NewModel())
            model.Fit(Synthetic.LeftRight(64, 1), Synthetic.LeftRight(32, 2), Options("adam") with { Epochs = 3 },
                new NonFiniteLossGuard(), stopper, reducer, new Checkpointing(folder));
        var saved = folder.ReadLatest()!;

        var (freshStopper, freshReducer) = (new EarlyStopping("val_loss", patience: 10), new ReduceLROnPlateau("val_loss", factor: 0.5, patience: 1, minDelta: 1e9));
        using var again = NewModel();
        again.Fit(Synthetic.LeftRight(64, 1), Synthetic.LeftRight(32, 2), Options("adam") with { Epochs = 3, ResumeFrom = saved }, freshStopper, freshReducer);

        Assert.Equal(stopper.BestEpoch, freshStopper.BestEpoch);
        Assert.Equal(reducer.ReducedAt, freshReducer.ReducedAt);
        Assert.Equal([2, 3], freshReducer.ReducedAt);
        Assert.Equal(saved.Metadata.Callbacks["early_stopping"].ToJsonString(), ((IStatefulCallback)freshStopper).SaveState().Values.ToJsonString());
    }

    [Fact]
    public void A_checkpoint_for_other_data_is_refused_with_the_reason()
    {
        using var dir = new TempDirectory();
        var folder = new CheckpointFolder(dir.File("ckpt"));
        using (var model = NewModel())
            model.Fit(Synthetic.LeftRight(64, 1), null, Options("adam") with { Epochs = 1 }, new Checkpointing(folder));
        using var other = NewModel();
        var e = Assert.Throws<InvalidDataException>(() =>
            other.Fit(Synthetic.LeftRight(96, 1), null, Options("adam") with { Epochs = 2, ResumeFrom = folder.ReadLatest() }));
        Assert.Contains("4 batches of 16 per epoch, but this run has 6", e.Message);
    }

    static void AssertSameWeights(Classifier expected, Classifier actual)
    {
        var weights = actual.Network.state_dict();
        foreach (var (name, tensor) in expected.Network.state_dict())
            Assert.True(tensor.eq(weights[name]).all().item<bool>(), $"{name} differs after resuming");
    }

    static List<string> Without(History history, params string[] keys) =>
        history.Epochs.Select(e => string.Join(",", e.Where(kv => !keys.Contains(kv.Key)).Select(kv => $"{kv.Key}={kv.Value:R}"))).ToList();

    /// <summary>Cancels <paramref name="stop"/> as batch <paramref name="batch"/> of <paramref name="epoch"/> begins, as a signal would.</summary>
    sealed class StopAt(int epoch, int batch, CancellationTokenSource stop) : Callback
    {
        public override void OnBatchBegin(TrainingContext context, int e, int b)
        {
            if (e == epoch && b == batch) stop.Cancel();
        }
    }
}
