#:project ../src/ImageClassifier/ImageClassifier.csproj
#:property PublishAot=false
// 16. Cross-validation: how much a score depends on which images happened to be held out.
//
// One validation split gives one number, and part of it is luck. k-fold cross-validation (scikit-learn's
// StratifiedKFold) cuts the data into k parts with the same class mix, trains a fresh model k times, each
// time holding out a different part, and reports the mean and spread of the k scores. Here it compares
// two models: Keras' basic classifier (an MLP: Flatten, Dense 128, Dense 10) and the tutorial CNN. A
// difference larger than the spread across folds is one to believe.
//
// Writes (examples/out/16-cross-validation/, or $IMGCLASS_EXAMPLES_OUT/16-cross-validation/):
//   folds.png (each fold's accuracy, and mean ± std, per model)
using ImageClassifier.Data;
using ImageClassifier.Models;
using ImageClassifier.Reporting;
using ImageClassifier.Training;

string output = Directory.CreateDirectory(Path.Combine(Environment.GetEnvironmentVariable("IMGCLASS_EXAMPLES_OUT")
    ?? Path.Combine((string)AppContext.GetData("EntryPointFileDirectoryPath")!, "out"), "16-cross-validation")).FullName;
bool quick = Environment.GetEnvironmentVariable("IMGCLASS_EXAMPLES_SHORT") == "1";   // CI: 3 folds of a small subset, one epoch

var all = DatasetCatalog.Load("fashion-mnist", new DatasetLocator()).Train;
var data = all.Subset(SampleGrid.Pick(all, quick ? 600 : 6_000));   // the same number of each class
int k = quick ? 3 : 5;
var folds = Splits.StratifiedKFold(data.Labels, data.ClassCount, folds: k, seed: 42, data.ClassNames);
Console.WriteLine($"{k} folds of {data.Count:N0} images; fold 1 holds out {folds[0].Validation.Length}, " +
    $"of which {folds[0].Validation.Count(i => data.Labels[i] == 0)} of class 0");

var plot = new ScottPlot.Plot();
string[] models = ["mlp", "tutorial-cnn"];
for (int m = 0; m < models.Length; m++)
{
    var result = CrossValidation.Run(data, folds,
        part => Classifier.Create(models[m], part.Shape, part.ClassNames),
        _ => new TrainingOptions { Epochs = quick ? 1 : 5, Seed = 42 },
        fold => Console.WriteLine($"{models[m],-13} fold {fold.Fold}: accuracy {fold.Accuracy:0.0000}, macro F1 {fold.MacroF1:0.0000} ({fold.Seconds:0.0}s)"));
    Console.WriteLine($"{models[m],-13} accuracy {result.Accuracy}, macro F1 {result.MacroF1}\n");

    var dots = plot.Add.ScatterPoints(result.Folds.Select(f => m + 0.1 * (f.Fold - (k + 1) / 2.0) / k).ToArray(), result.Folds.Select(f => f.Accuracy).ToArray());
    dots.LegendText = $"{models[m]}: folds";
    dots.MarkerSize = 9;
    var mean = plot.Add.ErrorBar([m + 0.25], [result.Accuracy.Mean], [result.Accuracy.Std]);
    mean.Color = ScottPlot.Colors.Black;
    plot.Add.Marker(m + 0.25, result.Accuracy.Mean, ScottPlot.MarkerShape.FilledDiamond, 12, ScottPlot.Colors.Black);
}
plot.Axes.Bottom.SetTicks([0, 1], models);
plot.Axes.SetLimitsX(-0.5, models.Length - 0.5);
plot.Title($"{k}-fold cross-validation, {data.Count:N0} images: each fold, and mean ± std (black)");
plot.YLabel("held-out accuracy");
plot.ShowLegend(ScottPlot.Edge.Right);
ReportFonts.Apply(plot);
File.WriteAllBytes(Path.Combine(output, "folds.png"), plot.GetImageBytes(800, 450, ScottPlot.ImageFormat.Png));
Console.WriteLine($"Pictures in {output}");
