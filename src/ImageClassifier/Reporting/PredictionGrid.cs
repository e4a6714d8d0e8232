using System.Globalization;
using ImageClassifier.Data;
using ImageClassifier.Evaluation;

namespace ImageClassifier.Reporting;

/// <summary>
/// Images with the model's prediction, captioned "Pred / True / Conf": green where the prediction
/// is right, red where it is wrong.
/// </summary>
public static class PredictionGrid
{
    /// <summary>
    /// The samples (from <see cref="ErrorAnalysis.Samples"/> on the same <paramref name="data"/>) as
    /// PNG; Conf is the probability of the predicted class.
    /// </summary>
    public static byte[] Render(ImageDataset data, IReadOnlyList<SampleLoss> samples, int? columns = null, string? title = null)
    {
        var tiles = samples.Select(s =>
        {
            var color = s.Correct ? ReportColors.Right : ReportColors.Wrong;
            return new GridTile(s.Index,
            [
                new CaptionLine($"Pred: {s.PredictedName}", color),
                new CaptionLine($"True: {s.TrueName}", color),
                new CaptionLine($"Conf: {s.PredictedProbability.ToString("0.00", CultureInfo.InvariantCulture)}", color),
            ], color);
        }).ToArray();
        int right = samples.Count(s => s.Correct);
        return ImageGrid.Render(data, title ?? $"Predictions: {right} of {samples.Count} right", tiles, columns, "No predictions to show.");
    }

    /// <summary>Up to <paramref name="count"/> samples spread evenly over the dataset (first, then every n-th).</summary>
    public static IReadOnlyList<SampleLoss> Spread(IReadOnlyList<SampleLoss> samples, int count)
    {
        if (count < 0) throw new ArgumentException($"The number of samples cannot be negative ({count}).");
        int n = Math.Min(count, samples.Count);
        return Enumerable.Range(0, n).Select(i => samples[(int)((long)i * samples.Count / n)]).ToArray();
    }
}
