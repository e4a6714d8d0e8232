using System.Globalization;
using ImageClassifier.Data;
using ImageClassifier.Evaluation;

namespace ImageClassifier.Reporting;

/// <summary>
/// The model's worst mistakes (<see cref="EvaluationReport.TopLosses"/>), captioned as fastai's
/// plot_top_losses: predicted / true class, then loss / probability of the true class.
/// </summary>
public static class TopLossesGrid
{
    public static byte[] Render(ImageDataset data, IReadOnlyList<SampleLoss> topLosses, int? columns = null, string? title = null)
    {
        var tiles = topLosses.Select(s =>
        {
            var color = s.Correct ? ReportColors.Right : ReportColors.Wrong;
            return new GridTile(s.Index,
            [
                new CaptionLine($"{s.PredictedName} / {s.TrueName}", color),
                new CaptionLine(string.Create(CultureInfo.InvariantCulture, $"loss {s.Loss:0.00} / p {s.TrueProbability:0.00}"), ReportColors.Text),
            ], color);
        }).ToArray();
        return ImageGrid.Render(data, title ?? "Top losses: predicted / true, loss / probability of true class", tiles, columns, "No mistakes: there are no losses to show.");
    }
}
