using ImageClassifier.Data;
using ImageClassifier.Evaluation;
using ImageClassifier.Models;
using ImageClassifier.Reporting;

namespace ImageClassifier.Tests.Reporting;

/// <summary>
/// A report of an untrained tutorial CNN evaluated on real Fashion-MNIST test images, with a made-up
/// history and training summary: every section filled, without the time training takes.
/// </summary>
public static class SampleReport
{
    public static string Html(ImageDataset? data = null, int samples = 16)
    {
        data ??= ReportData.Images(300);
        using var model = Classifier.Create("tutorial-cnn", data.Shape, data.ClassNames);
        model.Training = new TrainingSummary("fashion-mnist", 900, 100, 5, 4, "adam", 1e-3, 32, 42, 12.5,
            new Dictionary<string, double> { ["val_accuracy"] = 0.7 });
        return HtmlReport.Render(new ReportInput
        {
            Model = model, Evaluated = data, Result = model.Evaluate(data), History = ReportData.History(),
            SampleCount = samples, Created = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero),
        });
    }
}
