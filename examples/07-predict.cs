#:project ../src/ImageClassifier/ImageClassifier.csproj
#:property PublishAot=false
// 07. Making predictions: class probabilities for test images and for image files.
//
// The network outputs logits; softmax turns them into probabilities that sum to 1, and the predicted
// class is the most probable one. This example trains a small model, saves and reloads it (as an app
// would), draws a grid of test images captioned with prediction, truth and confidence (green when right,
// red when wrong), plots one image's probabilities, and predicts image files written to disk.
//
// Writes (examples/out/07-predict/, or $IMGCLASS_EXAMPLES_OUT/07-predict/):
//   predictions.png (25 test images), probabilities.png (one image's 10 probabilities)
using ImageClassifier.Data;
using ImageClassifier.Evaluation;
using ImageClassifier.Imaging;
using ImageClassifier.Models;
using ImageClassifier.Reporting;
using ImageClassifier.Serialization;
using ImageClassifier.Training;

string output = Directory.CreateDirectory(Path.Combine(Environment.GetEnvironmentVariable("IMGCLASS_EXAMPLES_OUT")
    ?? Path.Combine((string)AppContext.GetData("EntryPointFileDirectoryPath")!, "out"), "07-predict")).FullName;
bool quick = Environment.GetEnvironmentVariable("IMGCLASS_EXAMPLES_SHORT") == "1";   // CI: a small subset, one epoch

var (train, test) = DatasetCatalog.Load("fashion-mnist", new DatasetLocator());
test = test!.Take(quick ? 200 : 10_000);
using (var trained = Classifier.Create("tutorial-cnn", train.Shape, train.ClassNames))
{
    trained.Fit(quick ? train.Take(2_000) : train, options: new TrainingOptions { Epochs = quick ? 1 : 5 });
    trained.Save(Path.Combine(output, "model.imgclass"));
}
using var model = ModelFile.Load(Path.Combine(output, "model.imgclass"));   // everything predict needs: layers, weights, classes, preprocessing

// Top-3 predictions for the first test images.
foreach (var prediction in model.Predict(test, topK: 3).Take(5))
    Console.WriteLine($"{prediction.Source,-20} true {prediction.TrueClass,-11} predicted " +
        string.Join(", ", prediction.Top.Select(c => $"{c.Name} {c.Probability:0.00}")));

// The grid: every test image's outcome, then 25 spread over the set.
var result = model.Evaluate(test);
var samples = ErrorAnalysis.Samples(result.Probabilities, result.Labels, result.Predicted, result.ClassNames);
Png.Write(Path.Combine(output, "predictions.png"), PredictionGrid.Render(test, PredictionGrid.Spread(samples, 25), columns: 5));
Console.WriteLine($"accuracy on {result.Count:N0} test images: {result.Accuracy:0.0000}");

// One image's probabilities as bars (Keras' plot_value_array): the true class in green, a wrong pick in red.
var plot = new ScottPlot.Plot();
float[] p = result.Probabilities[0];
var bars = plot.Add.Bars(Enumerable.Range(0, p.Length).Select(i => (double)i).ToArray(), p.Select(v => (double)v).ToArray());
for (int i = 0; i < p.Length; i++)
    bars.Bars[i].FillColor = i == result.Labels[0] ? ScottPlot.Colors.Green : i == result.Predicted[0] ? ScottPlot.Colors.Red : ScottPlot.Colors.Gray;
plot.Axes.Bottom.SetTicks(Enumerable.Range(0, p.Length).Select(i => (double)i).ToArray(), [.. model.ClassNames]);
plot.Axes.SetLimitsY(0, 1);
plot.Title($"Test image 0 ({model.ClassNames[result.Labels[0]]}): predicted {model.ClassNames[result.Predicted[0]]}, {p.Max() * 100:0}%");
ReportFonts.Apply(plot);
File.WriteAllBytes(Path.Combine(output, "probabilities.png"), plot.GetImageBytes(1000, 450, ScottPlot.ImageFormat.Png));

// Image files: a few test images saved as PNG, then predicted from disk (any size is resized to the model's input).
string folder = Directory.CreateDirectory(Path.Combine(output, "new-images")).FullName;
for (int i = 0; i < 3; i++) ImageEncoder.WritePng(Path.Combine(folder, $"test-{i}.png"), test.Image(i), test.Shape);
var (fromFiles, _) = model.PredictFiles([folder], topK: 1);
foreach (var prediction in fromFiles)
    Console.WriteLine($"{Path.GetFileName(prediction.Source)}: {prediction.Best.Name} ({prediction.Best.Probability:0.00})");
Console.WriteLine($"Pictures in {output}");
