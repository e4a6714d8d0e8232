using ImageClassifier.Evaluation;
using ImageClassifier.Reporting;
using ImageClassifier.Training;
using ImageClassifier.Tests.TestSupport;

namespace ImageClassifier.Tests.Reporting;

/// <summary>Each picture, made from real Fashion-MNIST images and library results, decodes to a non-blank PNG of the expected size.</summary>
public class PictureTests
{
    [Fact]
    public void Sample_grid_shows_every_class_with_its_name()
    {
        var data = ReportData.Images();
        var picked = SampleGrid.Pick(data, 25);
        Assert.Equal(25, picked.Count);
        Assert.Equal(Enumerable.Range(0, 10), picked.Take(10).Select(i => data.Labels[i]).Order());
        Assert.Equal(picked.Count, picked.Distinct().Count());

        var picture = PngAssert.Picture(SampleGrid.Render(data, 25), "sample-grid", minColours: 32, minInk: 0.1);
        // 5 x 5 tiles of 112-pixel images (28 enlarged 4 times) with captions: wider and taller than the images alone.
        Assert.InRange(picture.Width, 5 * 112, 5 * 260 + 100);
        Assert.InRange(picture.Height, 5 * 112 + 60, 5 * 200 + 100);
    }

    [Fact]
    public void Sample_grid_of_colour_images_and_of_nothing()
    {
        var rgb = ReportData.Colourful();
        PngAssert.Picture(SampleGrid.Render(rgb, 6), "sample-grid-rgb", minColours: 32);
        var empty = rgb.Subset([]);
        PngAssert.Picture(SampleGrid.Render(empty), "sample-grid-empty", minColours: 2, minInk: 0.005);
    }

    [Fact]
    public void History_plot_has_loss_accuracy_and_learning_rate_panels()
    {
        var picture = PngAssert.Picture(HistoryPlot.Render(ReportData.History()), "history", 1200, 400, minColours: 50);
        // Training (blue) and validation (orange) curves are drawn, and the learning rate (green).
        Assert.True(PngAssert.CountNear(picture.Bitmap, new SkiaSharp.SKColor(0x1f, 0x77, 0xb4)) > 200, "no training curve");
        Assert.True(PngAssert.CountNear(picture.Bitmap, new SkiaSharp.SKColor(0xff, 0x7f, 0x0e)) > 200, "no validation curve");
        Assert.True(PngAssert.CountNear(picture.Bitmap, new SkiaSharp.SKColor(0x2c, 0xa0, 0x2c)) > 100, "no learning-rate curve");
    }

    [Fact]
    public void History_plot_reads_history_json_and_copes_with_one_epoch_and_no_validation()
    {
        using var dir = new TempDirectory();
        // As HistoryLogger writes it, NaN included (a diverged epoch).
        File.WriteAllText(dir.File("history.json"), """[ { "loss": 0.9, "accuracy": 0.7, "val_loss": "NaN", "lr": 0.001 } ]""");
        var read = HistoryFile.Read(dir.File("history.json"));
        Assert.Equal(1, read.Count);
        Assert.Equal(0.7, read.Epochs[0]["accuracy"]);
        Assert.True(double.IsNaN(read.Epochs[0]["val_loss"]));
        PngAssert.Picture(HistoryPlot.Render(dir.File("history.json"), 900, 300), "history-one-epoch", 900, 300);
    }

    [Fact]
    public void Confusion_matrix_is_an_annotated_heatmap()
    {
        var data = ReportData.Images();
        var report = EvaluationReport.From(ReportData.Result(data));
        var picture = PngAssert.Picture(ConfusionMatrixPlot.Render(report, 800), "confusion-matrix", 800, 800, minColours: 100, minInk: 0.1);
        // The diagonal, where three quarters of each class lies, is dark blue: ten cells of about 60 x 60 pixels.
        int darkBlue = PngAssert.CountWhere(picture.Bitmap, c => c.Blue > c.Red + 80 && c.Red < 80);
        Assert.True(darkBlue > 10 * 1500, $"only {darkBlue} dark blue pixels: where is the diagonal?");
    }

    [Fact]
    public void Prediction_grid_is_green_where_right_and_red_where_wrong()
    {
        var data = ReportData.Images(40);
        var result = ReportData.Result(data);
        var samples = ErrorAnalysis.Samples(result.Probabilities, result.Labels, result.Predicted, result.ClassNames);
        var spread = PredictionGrid.Spread(samples, 16);
        Assert.Equal(16, spread.Count);
        Assert.Contains(spread, s => s.Correct);
        Assert.Contains(spread, s => !s.Correct);

        var picture = PngAssert.Picture(PredictionGrid.Render(data, spread), "prediction-grid", minColours: 32, minInk: 0.1);
        Assert.True(PngAssert.CountNear(picture.Bitmap, new SkiaSharp.SKColor(0x1A, 0x7F, 0x37), 20) > 500, "no green");
        Assert.True(PngAssert.CountNear(picture.Bitmap, new SkiaSharp.SKColor(0xCF, 0x22, 0x2E), 20) > 300, "no red");
    }

    [Fact]
    public void Top_losses_grid_shows_the_worst_mistakes_in_red()
    {
        var data = ReportData.Images();
        var report = EvaluationReport.From(ReportData.Result(data), examples: 9);
        Assert.Equal(9, report.TopLosses.Count);
        var picture = PngAssert.Picture(TopLossesGrid.Render(data, report.TopLosses), "top-losses", minColours: 32, minInk: 0.1);
        Assert.True(PngAssert.CountNear(picture.Bitmap, new SkiaSharp.SKColor(0xCF, 0x22, 0x2E), 20) > 500, "no red");
        Assert.True(PngAssert.CountNear(picture.Bitmap, new SkiaSharp.SKColor(0x1A, 0x7F, 0x37), 20) == 0, "green in a grid of mistakes");
    }

    [Fact]
    public void Metric_bars_show_each_class()
    {
        var report = EvaluationReport.From(ReportData.Result(ReportData.Images()));
        var picture = PngAssert.Picture(MetricBars.Render(report.ClassificationReport, 1200, 520), "metric-bars", 1200, 520, minColours: 50, minInk: 0.1);
        Assert.True(PngAssert.CountNear(picture.Bitmap, new SkiaSharp.SKColor(0x1f, 0x77, 0xb4), 10) > 2000, "no precision bars");
        Assert.True(PngAssert.CountNear(picture.Bitmap, new SkiaSharp.SKColor(0x2c, 0xa0, 0x2c), 10) > 2000, "no F1 bars");
    }

    [Fact]
    public void Pictures_are_written_to_files()
    {
        using var dir = new TempDirectory();
        string path = Png.Write(dir.File("deep/folder/samples.png"), SampleGrid.Render(ReportData.Images(20), 4));
        Assert.True(File.Exists(path));
        PngAssert.Picture(File.ReadAllBytes(path), "written", minColours: 16);
    }
}
