#:project ../src/ImageClassifier/ImageClassifier.csproj
#:property PublishAot=false
// 05. Compile and fit: optimizer, loss, epochs, and the callbacks that watch validation.
//
// Keras compiles a model with an optimizer and a loss, then fit()s it on the training images while
// measuring the validation images after every epoch. TrainingOptions is the compile step (Adam, 1e-3,
// batch 32, cross-entropy on logits, as in the tutorial) and Fit takes Keras' callbacks:
//   EarlyStopping      stops when the watched metric stops improving, and restores the best weights
//   ReduceLROnPlateau  divides the learning rate when it plateaus
//   ModelCheckpoint    saves the model after every epoch that improves it (an interrupted run keeps it)
//   HistoryLogger      writes history.csv / history.json as training goes (Keras' CSVLogger)
// They watch val_accuracy: on Fashion-MNIST val_loss turns up (over-confidence) epochs before accuracy
// stops improving (docs/BENCHMARKS.md).
//
// Writes (examples/out/05-train/, or $IMGCLASS_EXAMPLES_OUT/05-train/):
//   history.png (loss, accuracy and learning rate by epoch); also best.imgclass, history.csv, history.json
using ImageClassifier.Data;
using ImageClassifier.Models;
using ImageClassifier.Reporting;
using ImageClassifier.Serialization;
using ImageClassifier.Training;
using ImageClassifier.Training.Callbacks;

string output = Directory.CreateDirectory(Path.Combine(Environment.GetEnvironmentVariable("IMGCLASS_EXAMPLES_OUT")
    ?? Path.Combine((string)AppContext.GetData("EntryPointFileDirectoryPath")!, "out"), "05-train")).FullName;
bool quick = Environment.GetEnvironmentVariable("IMGCLASS_EXAMPLES_SHORT") == "1";   // CI: a small subset, one epoch

var data = DatasetCatalog.Load("fashion-mnist", new DatasetLocator()).Train;
if (quick) data = data.Take(2_000);
var (train, validation) = Splits.StratifiedSplit(data, 0.1, seed: 42);   // 10% of each class held out
Console.WriteLine($"train {train.Count:N0}, validation {validation.Count:N0} images");

using var model = Classifier.Create("tutorial-cnn", train.Shape, train.ClassNames);
var options = new TrainingOptions { Epochs = quick ? 1 : 20, BatchSize = 32, Optimizer = "adam", LearningRate = 1e-3, Seed = 42 };
var earlyStopping = new EarlyStopping("val_accuracy", patience: 5, restoreBestWeights: true);
var reduceLR = new ReduceLROnPlateau("val_accuracy", factor: 0.2, patience: 3, minLearningRate: 1e-6);
var checkpoint = new ModelCheckpoint(Path.Combine(output, "best.imgclass"), "val_accuracy", saveBestOnly: true);

var history = model.Fit(train, validation, options,
    earlyStopping, reduceLR, checkpoint,
    new HistoryLogger(Path.Combine(output, "history.csv"), Path.Combine(output, "history.json")),
    new ProgressLogger());

Console.WriteLine($"{history.Count} epochs; best val_accuracy {history.Values("val_accuracy").Max():0.0000} at epoch {earlyStopping.BestEpoch}" +
    (earlyStopping.StoppedEpoch is int stopped ? $", stopped early after epoch {stopped}" : "") +
    (reduceLR.ReducedAt.Count > 0 ? $", learning rate lowered after epochs {string.Join(", ", reduceLR.ReducedAt)}" : ""));
Console.WriteLine($"checkpoint saved after epoch {checkpoint.SavedEpoch}: {Path.Combine(output, "best.imgclass")}");

// The checkpoint is a complete model: it loads without this program and scores as the restored weights do.
using var best = ModelFile.Load(Path.Combine(output, "best.imgclass"));
Console.WriteLine($"loaded {best.Spec.Architecture} with classes {string.Join(", ", best.ClassNames)}");
Png.Write(Path.Combine(output, "history.png"), HistoryPlot.Render(history));
Console.WriteLine($"Pictures in {output}");
