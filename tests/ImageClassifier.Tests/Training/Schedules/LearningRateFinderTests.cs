using ImageClassifier.Evaluation;
using ImageClassifier.Imaging;
using ImageClassifier.Models;
using ImageClassifier.Models.Layers;
using ImageClassifier.Tests.TestSupport;
using ImageClassifier.Training;
using ImageClassifier.Training.Callbacks;
using ImageClassifier.Training.Schedules;

namespace ImageClassifier.Tests.Training.Schedules;

public class LearningRateFinderTests
{
    static readonly TrainingOptions Sgd = new() { Optimizer = "sgd", Momentum = 0, BatchSize = 16, Seed = 3 };

    // The loss on the data after a short run at one fixed rate, from the same starting weights.
    static double LossAfterTraining(Classifier model, WeightsSnapshot start, ImageClassifier.Data.ImageDataset data, double rate)
    {
        start.RestoreInto(model.Network);
        model.Fit(data, null, Sgd with { Epochs = 2, LearningRate = rate });
        double loss = model.Evaluate(data).Loss;
        return double.IsFinite(loss) ? loss : double.PositiveInfinity;
    }

    // Left-right images with every fifth label flipped: learnable, but not separable, so that too large a rate
    // overshoots to a worse loss instead of driving an already perfect fit's loss to zero.
    static ImageClassifier.Data.ImageDataset Noisy(int count, int seed)
    {
        var clean = Synthetic.LeftRight(count, seed);
        int[] labels = [.. clean.Labels.Select((l, i) => i % 5 == 0 ? 1 - l : l)];
        return new ImageClassifier.Data.ImageDataset("noisy-left-right", clean.Shape, clean.ClassNames, clean.Pixels.ToArray(), labels);
    }

    [Fact]
    public void The_suggestion_is_near_the_rate_that_trains_best_and_the_model_is_left_untouched()
    {
        var data = Noisy(160, seed: 4);
        // Seeded: the starting weights would otherwise depend on which tests ran before this one.
        TorchSharp.torch.manual_seed(5);
        using var model = Classifier.Create("mlp", new ImageShape(1, 8, 8), data.ClassNames);
        using var start = new WeightsSnapshot(model.Network);
        float[] before = model.Network.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray();

        var sweep = LearningRateFinder.Find(model, data, Sgd, start: 1e-5, end: 10, steps: 100);

        float[] after = model.Network.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray();
        Assert.Equal(before, after);
        // The good rate of this problem, found the slow way: train from the same weights at each rate of a grid.
        double[] grid = Enumerable.Range(-8, 18).Select(k => Math.Pow(10, k / 4.0)).ToArray(); // 1e-2 .. 1e2.25, quarter decades
        var losses = grid.Select(rate => (Rate: rate, Loss: LossAfterTraining(model, start, data, rate))).ToList();
        double best = losses.MinBy(p => p.Loss).Rate;
        string table = string.Join(", ", losses.Select(p => FormattableString.Invariant($"{p.Rate:g3}: {p.Loss:0.###}")));
        // The range test is a heuristic: its steepest point lands within a decade of the best fixed rate, and training
        // at the grid rate nearest to it ends within 15% of the best loss (a decade off either way costs 25-35% here).
        var nearest = losses.MinBy(p => Math.Abs(Math.Log(p.Rate / sweep.Suggestion)));
        double bestLoss = losses.Min(p => p.Loss);
        Assert.True(sweep.Suggestion >= best / 10 && sweep.Suggestion <= best * 10 && nearest.Loss <= 1.15 * bestLoss,
            $"suggested {sweep.Suggestion:g3} lowest {sweep.MinimumRate:g3}, best fixed rate {best:g3} (loss after 2 epochs by rate: {table})");
        Assert.True(sweep.Rates.Zip(sweep.Rates.Skip(1)).All(p => p.Second > p.First), "the rates do not grow");
    }

    [Fact]
    public void A_sweep_stops_when_the_loss_diverges()
    {
        // A linear model on labels it cannot fit: too large a rate overshoots to ever larger weights and losses
        // (a ReLU network would rather die into a constant output, whose loss stays finite and low).
        var data = Synthetic.LeftRight(640, seed: 5, randomLabels: true);
        using var model = new Classifier(new ModelSpec("linear", [1, 8, 8], 2, [new Flatten(), new Dense(2)]), data.ClassNames);
        var sweep = LearningRateFinder.Find(model, data, Sgd, start: 1e-3, end: 1e4, steps: 200);
        Assert.True(sweep.Diverged);
        Assert.True(sweep.Rates.Count < 200, $"ran all {sweep.Rates.Count} steps");
    }

    [Fact]
    public void Bad_ranges_are_refused()
    {
        var data = Synthetic.LeftRight(32, seed: 6);
        using var model = Classifier.Create("mlp", new ImageShape(1, 8, 8), data.ClassNames);
        Assert.Contains("0 < start < end", Assert.Throws<ArgumentException>(() => LearningRateFinder.Find(model, data, start: 1, end: 0.1)).Message);
        Assert.Contains("at least 10 steps", Assert.Throws<ArgumentException>(() => LearningRateFinder.Find(model, data, steps: 3)).Message);
    }
}
