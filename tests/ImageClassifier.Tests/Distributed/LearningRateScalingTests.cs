using ImageClassifier.Distributed;
using ImageClassifier.Imaging;
using ImageClassifier.Models;
using ImageClassifier.Training;
using ImageClassifier.Training.Callbacks;

namespace ImageClassifier.Tests.Distributed;

/// <summary>The linear scaling rule with warmup, stepped on a real model and optimizer (no MPI needed).</summary>
public class LearningRateScalingTests
{
    // 100 images in batches of 10: 10 steps per epoch, learning rate 1e-3.
    static TrainingContext Context(out IDisposable owner)
    {
        var model = Classifier.Create("mlp", new ImageShape(1, 8, 8), ["a", "b"]);
        var options = new TrainingOptions { LearningRate = 1e-3, BatchSize = 10 };
        var optimizer = Optimizers.Create(options, model.Network.parameters());
        owner = model;
        return new TrainingContext(model, optimizer, options, 100, hasValidation: false);
    }

    [Fact]
    public void Rises_linearly_per_step_to_ranks_times_the_rate_over_the_warmup_then_stays()
    {
        var context = Context(out var owner);
        using var _ = owner;
        var scaling = new LearningRateScaling(ranks: 4, warmupEpochs: 2);
        scaling.OnTrainBegin(context);
        var rates = new List<double>();
        for (int step = 1; step <= 25; step++)
        {
            scaling.OnBatchBegin(context, (step - 1) / 10 + 1, (step - 1) % 10 + 1);
            rates.Add(context.LearningRate);
        }

        Assert.Equal(1e-3 + 3e-3 / 20, rates[0], 1e-12);   // step 1 of 20
        Assert.Equal(2.5e-3, rates[9], 1e-12);             // halfway
        Assert.Equal(4e-3, rates[19], 1e-12);              // the end of the warmup: 4 x 1e-3
        Assert.All(rates[19..], r => Assert.Equal(4e-3, r, 1e-12));
        context.LearningRate = 8e-4;                       // reduce-LR on plateau after the warmup is left alone
        scaling.OnBatchBegin(context, 4, 1);
        Assert.Equal(8e-4, context.LearningRate, 1e-12);
    }

    [Fact]
    public void Without_warmup_the_scaled_rate_applies_from_the_first_step()
    {
        var context = Context(out var owner);
        using var _ = owner;
        var scaling = new LearningRateScaling(ranks: 3, warmupEpochs: 0);

        scaling.OnTrainBegin(context);
        scaling.OnBatchBegin(context, 1, 1);

        Assert.Equal(3e-3, context.LearningRate, 1e-12);
    }
}
