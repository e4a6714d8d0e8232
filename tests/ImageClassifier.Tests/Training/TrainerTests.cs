using ImageClassifier.Data;
using ImageClassifier.Evaluation;
using ImageClassifier.Imaging;
using ImageClassifier.Models;
using ImageClassifier.Models.Layers;
using ImageClassifier.Tests.TestSupport;
using ImageClassifier.Training;
using ImageClassifier.Training.Callbacks;
using static TorchSharp.torch;

namespace ImageClassifier.Tests.Training;

public class TrainerTests
{
    static Classifier NewModel(string architecture = "mlp", int seed = 1)
    {
        manual_seed(seed);
        return Classifier.Create(architecture, new ImageShape(1, 8, 8), ["left", "right"]);
    }

    [Fact]
    public void Learns_an_easy_task_and_logs_every_metric()
    {
        using var model = NewModel();
        var history = model.Fit(Synthetic.LeftRight(400, 1), Synthetic.LeftRight(100, 2),
            new TrainingOptions { Epochs = 3, BatchSize = 16 });
        Assert.Equal(3, history.Count);
        Assert.True(history.Last!["val_accuracy"] > 0.95, $"val_accuracy {history.Last!["val_accuracy"]}");
        Assert.True(history.Values("loss")[2] < history.Values("loss")[0]);
        foreach (string key in new[] { "loss", "accuracy", "val_loss", "val_accuracy", "lr", "seconds", "images_per_s" })
            Assert.Contains(key, history.Last!.Keys);
    }

    [Fact]
    public void The_same_seed_gives_the_same_history()
    {
        double[] Run()
        {
            manual_seed(3);
            using var model = new Classifier(new ModelSpec("small-cnn", [1, 8, 8], 2,
                [new Conv2D(4, 3, Activation: "relu"), new BatchNorm(), new Flatten(), new Dropout(0.2), new Dense(2)]), ["left", "right"]);
            return model.Fit(Synthetic.LeftRight(128, 1), Synthetic.LeftRight(64, 2), new TrainingOptions { Epochs = 2, BatchSize = 32, Seed = 7 }).Values("val_loss");
        }
        Assert.Equal(Run(), Run());
    }

    [Fact]
    public void Early_stopping_leaves_the_model_with_its_best_validation_loss()
    {
        // Random labels: validation loss gets worse as the model memorises noise.
        using var model = NewModel(seed: 5);
        var validation = Synthetic.LeftRight(200, 9, randomLabels: true);
        var history = model.Fit(Synthetic.LeftRight(200, 8, randomLabels: true), validation,
            new TrainingOptions { Epochs = 12, BatchSize = 8, LearningRate = 0.01 },
            new EarlyStopping("val_loss", patience: 3, restoreBestWeights: true));
        double best = history.Values("val_loss").Min();
        Assert.True(history.Values("val_loss")[^1] > best, "the last epoch should not be the best one here");
        Assert.Equal(best, model.Evaluate(validation).Loss, 4);
    }

    [Fact]
    public void Reduced_learning_rate_shows_in_the_next_epochs_history()
    {
        using var model = NewModel();
        // min_delta so large that no epoch after the first counts as an improvement.
        var history = model.Fit(Synthetic.LeftRight(64, 1), Synthetic.LeftRight(32, 2),
            new TrainingOptions { Epochs = 4, BatchSize = 16, LearningRate = 1e-3 },
            new ReduceLROnPlateau("val_loss", factor: 0.5, patience: 1, minDelta: 1e9));
        Assert.Equal([1e-3, 1e-3, 5e-4, 2.5e-4], history.Values("lr").Select(v => Math.Round(v, 8)).ToArray());
    }

    [Fact]
    public void Terminate_on_nan_ends_a_diverging_run()
    {
        using var model = NewModel();
        var terminator = new TerminateOnNaN();
        var history = model.Fit(Synthetic.LeftRight(256, 1), null,
            new TrainingOptions { Epochs = 20, BatchSize = 8, Optimizer = "sgd", LearningRate = 1e30 }, terminator);
        Assert.NotNull(terminator.TerminatedAtEpoch);
        Assert.True(history.Count < 20);
    }

    [Fact]
    public void History_logger_writes_csv_and_json_each_epoch()
    {
        using var dir = new TempDirectory();
        using var model = NewModel();
        model.Fit(Synthetic.LeftRight(64, 1), Synthetic.LeftRight(32, 2), new TrainingOptions { Epochs = 2, BatchSize = 16 },
            new HistoryLogger(dir.File("history.csv"), dir.File("history.json")));
        var lines = File.ReadAllLines(dir.File("history.csv"));
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("loss,accuracy,val_loss,val_accuracy,lr", lines[0]);
        Assert.Contains("\"val_accuracy\"", File.ReadAllText(dir.File("history.json")));
    }

    [Fact]
    public void Progress_prints_plain_lines_when_redirected()
    {
        var output = new StringWriter();
        using var model = NewModel();
        model.Fit(Synthetic.LeftRight(256, 1), Synthetic.LeftRight(32, 2), new TrainingOptions { Epochs = 2, BatchSize = 16 }, new ProgressLogger(output));
        string text = output.ToString();
        Assert.DoesNotContain("\r", text);
        Assert.Contains("Epoch 1/2 4/16 - loss:", text);          // a quarter of the way through
        Assert.Matches(@"Epoch 2/2 - loss: \d\.\d{4} - accuracy: \d\.\d{4} - val_loss: .* img/s", text);
    }

    [Theory]
    [InlineData("adam")]
    [InlineData("adamw")]
    [InlineData("sgd")]
    public void Every_optimizer_learns(string optimizer)
    {
        using var model = NewModel();
        var history = model.Fit(Synthetic.LeftRight(256, 1), Synthetic.LeftRight(64, 2),
            new TrainingOptions { Epochs = 3, BatchSize = 16, Optimizer = optimizer, LearningRate = optimizer == "sgd" ? 0.05 : 1e-3, Nesterov = true, WeightDecay = 1e-4 });
        Assert.True(history.Last!["val_accuracy"] > 0.9, $"{optimizer}: {history.Last!["val_accuracy"]}");
    }

    [Fact]
    public void Refuses_empty_one_class_and_mismatched_data()
    {
        using var model = NewModel();
        var empty = new ImageDataset("empty", new ImageShape(1, 8, 8), ["a", "b"], [], []);
        Assert.Contains("empty", Assert.Throws<DatasetException>(() => model.Fit(empty)).Message);
        var oneClass = Synthetic.LeftRight(10, 1).Subset([0, 2, 4]);
        Assert.Contains("only 1 class", Assert.Throws<DatasetException>(() => model.Fit(oneClass)).Message);
        // Another size is resized batch by batch (as pretrained models need); colour into a grayscale model is refused.
        var colour = new ImageDataset("rgb", new ImageShape(3, 8, 8), ["a", "b"], new byte[2 * 192], [0, 1]);
        Assert.Contains("the model takes", Assert.Throws<ModelException>(() => model.Fit(colour)).Message);
        Assert.Throws<ArgumentException>(() => model.Fit(Synthetic.LeftRight(10, 1), options: new TrainingOptions { Optimizer = "lion" }));
    }
}
