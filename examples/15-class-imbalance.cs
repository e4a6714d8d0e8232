#:project ../src/ImageClassifier/ImageClassifier.csproj
#:property PublishAot=false
// 15. Class imbalance: when one class is rare, weigh its mistakes more, or show it more often.
//
// Trained on data where T-shirts are 1 image in 200, a network learns that "not a T-shirt" is almost
// always right, and the rare class's recall collapses while accuracy barely moves. Two standard remedies
// (TensorFlow's "Classification on imbalanced data"): class weights (scikit-learn's "balanced":
// n / (classes x count), so each class weighs the same in the loss), or oversampling (every class drawn
// equally often, rare images repeated). The test set stays balanced, so recall shows what each costs.
//
// Writes (examples/out/15-class-imbalance/, or $IMGCLASS_EXAMPLES_OUT/15-class-imbalance/):
//   class-counts.png (training images per class), remedies.png (rare-class recall and macro F1 per remedy)
using ImageClassifier.Data;
using ImageClassifier.Data.Loading;
using ImageClassifier.Evaluation;
using ImageClassifier.Models;
using ImageClassifier.Reporting;
using ImageClassifier.Training;

string output = Directory.CreateDirectory(Path.Combine(Environment.GetEnvironmentVariable("IMGCLASS_EXAMPLES_OUT")
    ?? Path.Combine((string)AppContext.GetData("EntryPointFileDirectoryPath")!, "out"), "15-class-imbalance")).FullName;
bool quick = Environment.GetEnvironmentVariable("IMGCLASS_EXAMPLES_SHORT") == "1";   // CI: a small subset, one epoch

// Keep 5% of the T-shirts (class 0) and all of the other classes.
const int rare = 0;
var (all, test) = DatasetCatalog.Load("fashion-mnist", new DatasetLocator());
if (quick) (all, test) = (all.Take(2_000), test!.Take(500));
int keepRare = all.ClassCounts()[rare] / 20;
var train = all.Subset([.. Enumerable.Range(0, all.Count).Where(i => all.Labels[i] != rare || keepRare-- > 0)], "imbalanced");
Console.WriteLine($"training images per class: {string.Join(" ", train.ClassCounts())}");
var counts = new ScottPlot.Plot();
counts.Add.Bars(train.ClassCounts().Select(c => (double)c).ToArray());
counts.Axes.Bottom.SetTicks(Enumerable.Range(0, train.ClassCount).Select(c => (double)c).ToArray(), [.. train.ClassNames]);
counts.Title($"Training images per class: {train.ClassNames[rare]} is rare");
ReportFonts.Apply(counts);
File.WriteAllBytes(Path.Combine(output, "class-counts.png"), counts.GetImageBytes(1000, 400, ScottPlot.ImageFormat.Png));

var plain = new TrainingOptions { Epochs = quick ? 1 : 5 };
var remedies = new (string Name, TrainingOptions Options)[]
{
    ("none", plain),
    ("class weights", plain with { ClassWeights = ClassWeights.Balanced(train) }),
    ("oversampling", plain with { Sampler = WeightedSampler.ForBalancedClasses(train.Labels, seed: 42) }),
};
var recall = new List<double>();
var macroF1 = new List<double>();
foreach (var (name, options) in remedies)
{
    using var model = Classifier.Create("tutorial-cnn", train.Shape, train.ClassNames);
    model.Fit(train, options: options);
    var report = EvaluationReport.From(model.Evaluate(test!)).ClassificationReport;
    recall.Add(report.Classes[rare].Recall);
    macroF1.Add(report.MacroAvg.F1Score);
    Console.WriteLine($"{name,-14} {train.ClassNames[rare]} recall {recall[^1]:0.000}, precision {report.Classes[rare].Precision:0.000}; " +
        $"accuracy {report.Accuracy:0.000}, macro F1 {macroF1[^1]:0.000}");
}

// Grouped bars: the rare class's recall and the macro F1 for each remedy.
var plot = new ScottPlot.Plot();
foreach (var (label, values, offset) in new[] { ($"{train.ClassNames[rare]} recall", recall, -0.2), ("macro F1", macroF1, 0.2) })
{
    var bars = plot.Add.Bars(values.Select((_, i) => i + offset).ToArray(), [.. values]);
    foreach (var bar in bars.Bars) bar.Size = 0.4;
    bars.LegendText = label;
    bars.Color = plot.Add.Palette.GetColor(offset < 0 ? 0 : 1);
}
plot.Axes.Bottom.SetTicks([0, 1, 2], [.. remedies.Select(r => r.Name)]);
plot.Axes.SetLimitsY(0, 1);
plot.Title("On a balanced test set");
plot.ShowLegend(ScottPlot.Alignment.UpperLeft);
ReportFonts.Apply(plot);
File.WriteAllBytes(Path.Combine(output, "remedies.png"), plot.GetImageBytes(800, 450, ScottPlot.ImageFormat.Png));
Console.WriteLine($"Pictures in {output}");
