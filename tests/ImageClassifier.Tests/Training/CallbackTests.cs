using ImageClassifier.Data;
using ImageClassifier.Imaging;
using ImageClassifier.Models;
using ImageClassifier.Serialization;
using ImageClassifier.Tests.TestSupport;
using ImageClassifier.Training;
using ImageClassifier.Training.Callbacks;
using static TorchSharp.torch;

namespace ImageClassifier.Tests.Training;

/// <summary>Callbacks driven by scripted metrics, on a real model and optimizer.</summary>
public class CallbackTests
{
    static (Classifier Model, TrainingContext Context, optim.Optimizer Optimizer) Setup(double learningRate = 0.01)
    {
        var model = Classifier.Create("mlp", new ImageShape(1, 8, 8), ["a", "b"]);
        var options = new TrainingOptions { LearningRate = learningRate };
        var optimizer = Optimizers.Create(options, model.Network.parameters());
        return (model, new TrainingContext(model, optimizer, options, 100, hasValidation: true), optimizer);
    }

    static Dictionary<string, double> Logs(double valLoss) => new() { ["loss"] = 1, ["val_loss"] = valLoss };

    static float FirstWeight(Classifier model) => model.Network.parameters().First().data<float>()[0];

    static void SetAllWeights(Classifier model, float value)
    {
        using var noGrad = no_grad();
        foreach (var p in model.Network.parameters()) p.fill_(value);
    }

    [Fact]
    public void Early_stopping_stops_after_patience_and_restores_the_best_epochs_weights()
    {
        var (model, context, _) = Setup();
        var stopper = new EarlyStopping("val_loss", patience: 2, restoreBestWeights: true);
        double[] valLosses = [0.5, 0.3, 0.4, 0.45, 0.2];
        int epoch = 0;
        while (!context.StopTraining)
        {
            epoch++;
            SetAllWeights(model, epoch);            // the weights "learned" in this epoch
            stopper.OnEpochEnd(context, epoch, Logs(valLosses[epoch - 1]));
        }
        stopper.OnTrainEnd(context);

        Assert.Equal(4, epoch);                     // epochs 3 and 4 did not improve on epoch 2
        Assert.Equal(2, stopper.BestEpoch);
        Assert.Equal(2f, FirstWeight(model));       // epoch 2's weights are back
        Assert.Equal(2, context.RestoredEpoch);
        Assert.Contains("did not improve for 2 epochs", context.StopReason);
    }

    [Fact]
    public void Early_stopping_min_delta_ignores_tiny_improvements_and_max_mode_watches_accuracy()
    {
        var (_, context, _) = Setup();
        var stopper = new EarlyStopping("val_accuracy", patience: 2, minDelta: 0.01, restoreBestWeights: false);
        double[] accuracies = [0.80, 0.805, 0.809];
        for (int e = 1; e <= 3 && !context.StopTraining; e++)
            stopper.OnEpochEnd(context, e, new Dictionary<string, double> { ["val_accuracy"] = accuracies[e - 1] });
        Assert.True(context.StopTraining);
        Assert.Equal(1, stopper.BestEpoch);
    }

    [Fact]
    public void Reduce_lr_lowers_the_rate_at_the_end_of_the_patience_epoch_and_respects_min_lr()
    {
        var (_, context, _) = Setup(learningRate: 1e-3);
        var reducer = new ReduceLROnPlateau("val_loss", factor: 0.2, patience: 3, minLearningRate: 1e-5);
        double[] valLosses = [1.0, 0.9, 0.95, 0.96, 0.97, 0.98, 0.99, 1.0, 1.1, 1.2, 1.3, 1.4, 1.5];
        var rates = new List<double>();
        for (int e = 1; e <= valLosses.Length; e++)
        {
            reducer.OnEpochEnd(context, e, Logs(valLosses[e - 1]));
            rates.Add(context.LearningRate);
        }
        Assert.Equal([5, 8, 11], reducer.ReducedAt);  // 3 epochs without improvement after epoch 2, then every 3
        Assert.Equal(1e-3, rates[3], 12);
        Assert.Equal(2e-4, rates[4], 12);
        Assert.Equal(4e-5, rates[7], 12);
        Assert.Equal(1e-5, rates[10], 12);             // 8e-6 clipped to min_lr
    }

    [Fact]
    public void A_metric_that_is_not_logged_gives_a_clear_error()
    {
        var (_, context, _) = Setup();
        var error = Assert.Throws<ArgumentException>(() =>
            new EarlyStopping("val_loss").OnEpochEnd(context, 1, new Dictionary<string, double> { ["loss"] = 1 }));
        Assert.Contains("Give validation data", error.Message);
    }

    [Fact]
    public void Checkpoint_saves_only_improving_epochs()
    {
        using var dir = new TempDirectory();
        var (model, context, _) = Setup();
        string path = dir.File("best.imgclass");
        var checkpoint = new ModelCheckpoint(path, "val_loss", saveBestOnly: true);
        double[] valLosses = [0.5, 0.6, 0.4, 0.45];
        for (int e = 1; e <= 4; e++)
        {
            SetAllWeights(model, e);
            checkpoint.OnEpochEnd(context, e, Logs(valLosses[e - 1]));
        }
        Assert.Equal(3, checkpoint.SavedEpoch);
        using var saved = ModelFile.Load(path);
        Assert.Equal(3f, FirstWeight(saved));
    }

    [Fact]
    public void Terminate_on_nan_stops_at_the_first_bad_batch()
    {
        var (_, context, _) = Setup();
        var terminator = new TerminateOnNaN();
        terminator.OnBatchEnd(context, new BatchLog(1, 1, 10, 0.7, 0.5, 32, TimeSpan.FromSeconds(1)));
        Assert.False(context.StopTraining);
        terminator.OnBatchEnd(context, new BatchLog(1, 2, 10, double.NaN, 0.5, 64, TimeSpan.FromSeconds(1)));
        Assert.True(context.StopTraining);
        Assert.Equal(1, terminator.TerminatedAtEpoch);
    }
}
