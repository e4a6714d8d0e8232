using ImageClassifier.Evaluation;
using ImageClassifier.Imaging;
using ImageClassifier.Models;
using ImageClassifier.Models.Layers;
using ImageClassifier.Tests.TestSupport;
using ImageClassifier.Training;
using ImageClassifier.Training.Averaging;
using ImageClassifier.Training.Callbacks;
using static TorchSharp.torch;

namespace ImageClassifier.Tests.Training.Averaging;

public class ExponentialMovingAverageTests
{
    // A tiny model with a weight matrix, a bias and batch-norm buffers (running mean and variance, batches tracked).
    static Classifier Tiny() => new(new ModelSpec("tiny", [1, 2, 2], 2, [new Flatten(), new Dense(2), new BatchNorm()]), ["a", "b"]);

    static TrainingContext Context(Classifier model)
    {
        var options = new TrainingOptions();
        var optimizer = Optimizers.Create(options, model.Network.parameters());
        return new TrainingContext(model, optimizer, options, 10, hasValidation: false);
    }

    static void Fill(Classifier model, float value)
    {
        using var _ = no_grad();
        foreach (var (_, tensor) in model.Network.state_dict())
            if (tensor.is_floating_point()) tensor.fill_(value); else tensor.fill_((long)value);
    }

    static BatchLog Step => new(1, 1, 1, 0, 0, 1, TimeSpan.FromSeconds(1));

    [Fact]
    public void The_average_follows_the_hand_computed_recurrence_and_becomes_the_models_weights()
    {
        using var model = Tiny();
        var context = Context(model);
        var ema = new ExponentialMovingAverage(0.9, warmup: false);
        Fill(model, 1);
        ema.OnTrainBegin(context);              // average = 1
        Fill(model, 2); ema.OnBatchEnd(context, Step);   // 0.9 x 1 + 0.1 x 2 = 1.1
        Fill(model, 4); ema.OnBatchEnd(context, Step);   // 0.9 x 1.1 + 0.1 x 4 = 1.39
        Fill(model, 0); ema.OnBatchEnd(context, Step);   // 0.9 x 1.39 = 1.251
        ema.OnTrainEnd(context);

        foreach (var (name, tensor) in model.Network.state_dict())
        {
            if (tensor.is_floating_point())   // weights, bias and the batch-norm running statistics alike
                Assert.All(tensor.data<float>().ToArray(), v => Assert.Equal(1.251f, v, 5));
            else                              // batches tracked: the last step's, not averaged
                Assert.All(tensor.data<long>().ToArray(), v => Assert.Equal(0L, v));
        }
    }

    [Fact]
    public void With_warmup_the_decay_starts_low_and_reaches_the_set_value()
    {
        using var model = Tiny();
        var context = Context(model);
        var ema = new ExponentialMovingAverage(0.99);
        ema.OnTrainBegin(context);
        Assert.Equal(0.1, ema.CurrentDecay, 12);          // (1 + 0) / (10 + 0)
        ema.OnBatchEnd(context, Step);
        Assert.Equal(2.0 / 11, ema.CurrentDecay, 12);     // (1 + 1) / (10 + 1)
        for (int i = 0; i < 2000; i++) ema.OnBatchEnd(context, Step);
        Assert.Equal(0.99, ema.CurrentDecay, 12);
        ema.OnTrainEnd(context);
    }

    [Fact]
    public void Training_with_an_average_ends_with_weights_that_differ_from_the_last_steps()
    {
        var data = Synthetic.LeftRight(128, seed: 2);
        var options = new TrainingOptions { Epochs = 2, BatchSize = 16, Optimizer = "sgd", LearningRate = 0.1 };
        using var plain = Classifier.Create("mlp", new ImageShape(1, 8, 8), data.ClassNames);
        using var averaged = Classifier.Create("mlp", new ImageShape(1, 8, 8), data.ClassNames);
        using (var same = new WeightsSnapshot(plain.Network)) same.RestoreInto(averaged.Network);
        plain.Fit(data, null, options);
        averaged.Fit(data, null, options, new ExponentialMovingAverage(0.9));
        var last = plain.Network.parameters().First();
        var mean = averaged.Network.parameters().First();
        Assert.False(last.allclose(mean, rtol: 0, atol: 1e-6), "the averaged weights equal the last step's: the average was not applied");
        Assert.True(averaged.Evaluate(data).Accuracy > 0.9, "the averaged model does not classify the easy training set");
    }

    [Fact]
    public void A_decay_outside_0_to_1_is_refused() =>
        Assert.Contains("between 0 and 1", Assert.Throws<ArgumentException>(() => new ExponentialMovingAverage(1.5)).Message);
}
