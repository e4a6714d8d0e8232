using ImageClassifier.Data;
using ImageClassifier.Data.Loading;
using ImageClassifier.Models;
using ImageClassifier.Training.Callbacks;

namespace ImageClassifier.Training.Schedules;

/// <summary>What a learning-rate sweep saw: the loss of each step at its rate, smoothed, and the suggested rate.</summary>
public sealed record LearningRateSweep(IReadOnlyList<double> Rates, IReadOnlyList<double> Losses, IReadOnlyList<double> SmoothedLosses,
    double Suggestion, double MinimumRate, bool Diverged)
{
    /// <summary>fastai's other rule of thumb: a tenth of the rate with the lowest smoothed loss.</summary>
    public double MinimumOverTen => MinimumRate / 10;
}

/// <summary>
/// Smith's learning-rate range test, as fastai's lr_find runs it: the rate grows exponentially from
/// <c>start</c> to <c>end</c> over a few hundred steps of ordinary training, the loss of each step is recorded
/// (exponentially smoothed, bias-corrected), and the sweep stops once the smoothed loss passes four times its best.
/// The suggestion is the rate where the smoothed loss falls fastest against the log of the rate, within the two
/// decades below the rate with the lowest smoothed loss and at most a tenth of it (fastai's two rules of thumb,
/// the more careful of the two). The model's weights (and batch-norm statistics) are put back afterwards: the
/// sweep leaves the model untouched.
/// </summary>
public static class LearningRateFinder
{
    public static LearningRateSweep Find(Classifier model, ImageDataset train, TrainingOptions? options = null,
        double start = 1e-7, double end = 10, int steps = 100)
    {
        using var source = new InMemoryBatchSource(train);
        return Find(model, source, options, start, end, steps);
    }

    public static LearningRateSweep Find(Classifier model, IBatchSource train, TrainingOptions? options = null,
        double start = 1e-7, double end = 10, int steps = 100)
    {
        if (!(start > 0) || !(end > start)) throw new ArgumentException($"The sweep needs 0 < start < end, not {start} to {end}.");
        if (steps < 10) throw new ArgumentException($"The sweep needs at least 10 steps, not {steps}.");
        options ??= new TrainingOptions();
        int perEpoch = (train.Count + options.BatchSize - 1) / options.BatchSize;
        var sweep = new Sweep(start, end, steps);
        using (new WeightsSnapshot(model.Network).RestoringInto(model.Network))
            model.Fit(train, null, options with { Epochs = (steps + perEpoch - 1) / Math.Max(perEpoch, 1) }, sweep);
        if (sweep.Rates.Count < 3) throw new ArgumentException("The sweep ended after fewer than 3 steps: give it more data or steps.");
        return sweep.Result();
    }

    /// <summary>Sets each step's rate and reads its loss back from the epoch's running mean.</summary>
    sealed class Sweep(double start, double end, int steps) : Callback
    {
        const double Beta = 0.98, Divergence = 4;
        public readonly List<double> Rates = [], Losses = [], Smoothed = [];
        double average, best = double.PositiveInfinity, previousSum;
        int previousSeen;
        bool diverged;

        double RateAt(int step) => start * Math.Pow(end / start, step / (double)(steps - 1));

        public override void OnBatchBegin(TrainingContext context, int epoch, int batch) => context.LearningRate = RateAt(Rates.Count);

        public override void OnBatchEnd(TrainingContext context, BatchLog batch)
        {
            if (batch.Batch == 1) (previousSum, previousSeen) = (0, 0);
            double sum = batch.Loss * batch.Seen, loss = (sum - previousSum) / (batch.Seen - previousSeen);
            (previousSum, previousSeen) = (sum, batch.Seen);
            Rates.Add(context.LearningRate);
            Losses.Add(loss);
            average = Beta * average + (1 - Beta) * loss;
            double smoothed = average / (1 - Math.Pow(Beta, Rates.Count));
            Smoothed.Add(smoothed);
            best = Math.Min(best, smoothed);
            diverged = !double.IsFinite(smoothed) || smoothed > Divergence * best;
            if (diverged || Rates.Count == steps) context.StopTraining = true;
        }

        public LearningRateSweep Result()
        {
            // Leave out the divergent tail, where the loss is no longer a function of the rate.
            int usable = diverged ? Rates.Count - 1 : Rates.Count;
            int lowest = Enumerable.Range(0, usable).MinBy(i => Smoothed[i]);
            // Steepest fall of the smoothed loss against log(rate), before the lowest point.
            // Only the last two decades before it: earlier, the smoothed loss is mostly noise and bias correction.
            int skip = Math.Min(Math.Max(usable / 10, Rates.Count(r => r < Rates[lowest] / 100)), Math.Max(lowest - 1, 0));
            int steepest = Math.Max(skip, 1);
            double fastest = double.PositiveInfinity;
            for (int i = Math.Max(skip, 1); i <= lowest; i++)
            {
                double slope = (Smoothed[i] - Smoothed[i - 1]) / Math.Log(Rates[i] / Rates[i - 1]);
                if (slope < fastest) (fastest, steepest) = (slope, i);
            }
            // A fall still steepest within a decade of the lowest point has not levelled out: the loss turns right after
            // it (the smoothing lags), so the rate there is already too large. Then a tenth of the lowest point's rate,
            // but never below the sweep's first rate (a loss lowest at the start fell nowhere in the range).
            double suggestion = Math.Max(Rates[0], Math.Min(Rates[steepest], Rates[lowest] / 10));
            return new LearningRateSweep(Rates, Losses, Smoothed, suggestion, Rates[lowest], diverged);
        }
    }
}
