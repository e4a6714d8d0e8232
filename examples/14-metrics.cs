#:project ../src/ImageClassifier/ImageClassifier.csproj
#:property PublishAot=false
// 14. Beyond accuracy: precision, recall and F1 per class, the confusion matrix, and the worst mistakes.
//
// Accuracy is one number for all classes. Per class, precision asks "of the images called a Shirt, how
// many were shirts?" and recall "of the shirts, how many were called a Shirt?"; F1 is their harmonic
// mean (scikit-learn's classification_report). The confusion matrix shows which classes are mistaken for
// which, and the top losses (fastai's plot_top_losses) are the images the model was most confidently
// wrong about: often mislabelled or genuinely ambiguous images, the first place to look.
//
// Writes (examples/out/14-metrics/, or $IMGCLASS_EXAMPLES_OUT/14-metrics/):
//   confusion-matrix.png, class-metrics.png, top-losses.png; also metrics.json and CSV files
using ImageClassifier.Data;
using ImageClassifier.Evaluation;
using ImageClassifier.Models;
using ImageClassifier.Reporting;
using ImageClassifier.Training;

string output = Directory.CreateDirectory(Path.Combine(Environment.GetEnvironmentVariable("IMGCLASS_EXAMPLES_OUT")
    ?? Path.Combine((string)AppContext.GetData("EntryPointFileDirectoryPath")!, "out"), "14-metrics")).FullName;
bool quick = Environment.GetEnvironmentVariable("IMGCLASS_EXAMPLES_SHORT") == "1";   // CI: a small subset, one epoch

var (train, test) = DatasetCatalog.Load("fashion-mnist", new DatasetLocator());
if (quick) (train, test) = (train.Take(2_000), test!.Take(1_000));
using var model = Classifier.Create("tutorial-cnn", train.Shape, train.ClassNames);
model.Fit(train, options: new TrainingOptions { Epochs = quick ? 1 : 5 });

var report = EvaluationReport.From(model.Evaluate(test!), topK: 3, examples: 16);
Console.WriteLine(report.ClassificationReport.ToText(digits: 3));
Console.WriteLine($"top-{report.TopK} accuracy {report.TopKAccuracy:0.000}, log loss {report.LogLoss:0.000}");
foreach (var warning in report.ClassificationReport.Warnings) Console.WriteLine($"note: {warning.Message}");   // e.g. a class never predicted

Console.WriteLine("\nmost confused (true -> predicted):");
foreach (var pair in report.MostConfused.Take(5)) Console.WriteLine($"  {pair.TrueName,-11} -> {pair.PredictedName,-11} {pair.Count,5}");
Console.WriteLine("\nhardest image of each class (lowest probability of its own class):");
foreach (var worst in report.WorstPerClass)
    Console.WriteLine($"  {worst.ClassName,-11} test[{worst.Examples[0].Index}] called {worst.Examples[0].PredictedName} (p true {worst.Examples[0].TrueProbability:0.000})");

Png.Write(Path.Combine(output, "confusion-matrix.png"), ConfusionMatrixPlot.Render(report));
Png.Write(Path.Combine(output, "class-metrics.png"), MetricBars.Render(report.ClassificationReport));
Png.Write(Path.Combine(output, "top-losses.png"), TopLossesGrid.Render(test!, report.TopLosses, columns: 4));
foreach (string file in report.WriteTo(output)) Console.WriteLine($"wrote {Path.GetFileName(file)}");
Console.WriteLine($"Pictures in {output}");
