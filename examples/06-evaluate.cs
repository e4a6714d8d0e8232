#:project ../src/ImageClassifier/ImageClassifier.csproj
#:property PublishAot=false
// 06. Evaluating: training curves, and loss and accuracy on test images the model never saw.
//
// Keras' tutorial plots accuracy and val_accuracy by epoch, then calls model.evaluate on the test set.
// The curves show how training went: when validation accuracy stalls while training accuracy climbs,
// the model is starting to memorise its training images (overfitting). The test score is the honest
// number to report: neither training nor the choice of epoch looked at those images.
//
// Writes (examples/out/06-evaluate/, or $IMGCLASS_EXAMPLES_OUT/06-evaluate/):
//   curves.png (loss, accuracy and learning rate by epoch, training against validation)
using ImageClassifier.Data;
using ImageClassifier.Evaluation;
using ImageClassifier.Models;
using ImageClassifier.Reporting;
using ImageClassifier.Training;
using ImageClassifier.Training.Callbacks;

string output = Directory.CreateDirectory(Path.Combine(Environment.GetEnvironmentVariable("IMGCLASS_EXAMPLES_OUT")
    ?? Path.Combine((string)AppContext.GetData("EntryPointFileDirectoryPath")!, "out"), "06-evaluate")).FullName;
bool quick = Environment.GetEnvironmentVariable("IMGCLASS_EXAMPLES_SHORT") == "1";   // CI: a small subset, one epoch

var (all, test) = DatasetCatalog.Load("fashion-mnist", new DatasetLocator());
var (train, validation) = Splits.StratifiedSplit(quick ? all.Take(2_000) : all, 0.1, seed: 42);
if (quick) test = test!.Take(500);

using var model = Classifier.Create("tutorial-cnn", train.Shape, train.ClassNames);
var history = model.Fit(train, validation, new TrainingOptions { Epochs = quick ? 1 : 10 }, new ProgressLogger());
Png.Write(Path.Combine(output, "curves.png"), HistoryPlot.Render(history));

// The last epoch's scores on training and validation images, then the test set's.
var last = history.Last!;
Console.WriteLine($"last epoch: accuracy {last["accuracy"]:0.0000} (training, with dropout on), val_accuracy {last["val_accuracy"]:0.0000}");
double[] gap = [.. history.Values("accuracy").Zip(history.Values("val_accuracy"), (a, v) => a - v)];
Console.WriteLine($"training minus validation accuracy by epoch: {string.Join(" ", gap.Select(g => g.ToString("+0.000;-0.000")))}");

var result = model.Evaluate(test!);
Console.WriteLine($"test: {result.Count:N0} images, loss {result.Loss:0.0000}, accuracy {result.Accuracy:0.0000}");
Console.WriteLine($"Pictures in {output}");
