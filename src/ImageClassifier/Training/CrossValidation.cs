using ImageClassifier.Data;
using ImageClassifier.Evaluation;
using ImageClassifier.Models;
using ImageClassifier.Training.Callbacks;

namespace ImageClassifier.Training;

/// <summary>One fold's scores on the images it held out.</summary>
public sealed record FoldResult(int Fold, int TrainImages, int ValidationImages, int Epochs, double Accuracy, double Loss,
    double MacroF1, double Seconds);

/// <summary>A metric's mean and standard deviation over the folds (population std, numpy's default: ddof = 0).</summary>
public sealed record MetricSummary(double Mean, double Std)
{
    public static MetricSummary Of(IEnumerable<double> values)
    {
        var list = values.ToList();
        double mean = list.Average();
        return new MetricSummary(mean, Math.Sqrt(list.Sum(v => (v - mean) * (v - mean)) / list.Count));
    }

    public override string ToString() => $"{Mean:0.0000} ± {Std:0.0000}";
}

/// <summary>Every fold's result, and the mean ± std of each metric.</summary>
public sealed record CrossValidationResult(IReadOnlyList<FoldResult> Folds)
{
    public MetricSummary Accuracy => MetricSummary.Of(Folds.Select(f => f.Accuracy));
    public MetricSummary Loss => MetricSummary.Of(Folds.Select(f => f.Loss));
    public MetricSummary MacroF1 => MetricSummary.Of(Folds.Select(f => f.MacroF1));
}

/// <summary>
/// k-fold cross-validation: for each fold a fresh model trains on the other folds and is scored on the one
/// held out (accuracy, loss, macro F1), so the spread across folds shows how much a score depends on the split.
/// </summary>
public static class CrossValidation
{
    /// <param name="createModel">A fresh model for a fold's training part (seed it for reproducible folds).</param>
    /// <param name="optionsFor">The training options for a fold's training part (class weights and samplers depend on it).</param>
    /// <param name="onFold">Called as each fold finishes, e.g. to print it.</param>
    public static CrossValidationResult Run(ImageDataset data, IReadOnlyList<Fold> folds, Func<ImageDataset, Classifier> createModel,
        Func<ImageDataset, TrainingOptions> optionsFor, Action<FoldResult>? onFold = null, Func<int, IEnumerable<Callback>>? callbacks = null) =>
        Run(data, folds, (train, number) =>
        {
            var model = createModel(train);
            try { return (model, model.Fit(train, null, optionsFor(train), callbacks?.Invoke(number) ?? []).Count); }
            catch { model.Dispose(); throw; }
        }, onFold);

    /// <param name="trainFold">Trains a fresh model on a fold's training part (the fold's number is given) and returns it with the epochs it trained.</param>
    public static CrossValidationResult Run(ImageDataset data, IReadOnlyList<Fold> folds, Func<ImageDataset, int, (Classifier Model, int Epochs)> trainFold,
        Action<FoldResult>? onFold = null)
    {
        if (folds.Count < 2) throw new ArgumentException("Cross-validation needs at least 2 folds.");
        var results = new List<FoldResult>();
        foreach (var fold in folds)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var train = data.Subset(fold.Train, $"{data.Name}:fold{fold.Number}-train");
            var held = data.Subset(fold.Validation, $"{data.Name}:fold{fold.Number}");
            var (model, epochs) = trainFold(train, fold.Number);
            using var _ = model;
            var evaluation = model.Evaluate(held);
            var report = ClassificationReport.Compute(evaluation.Labels, evaluation.Predicted, data.ClassNames, ZeroDivision.Zero);
            var result = new FoldResult(fold.Number, train.Count, held.Count, epochs, evaluation.Accuracy, evaluation.Loss,
                report.MacroAvg.F1Score, clock.Elapsed.TotalSeconds);
            results.Add(result);
            onFold?.Invoke(result);
        }
        return new CrossValidationResult(results);
    }
}
