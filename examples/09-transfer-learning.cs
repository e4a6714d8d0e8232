#:project ../src/ImageClassifier/ImageClassifier.csproj
#:property PublishAot=false
// 09. Transfer learning: a network pretrained on ImageNet as a frozen feature extractor, and a new head.
//
// A network trained on ImageNet's 1.2 million photos has learnt edges, textures and parts that serve
// other images too. Keras' guide takes such a base without its top, freezes it (trainable = False) and
// trains only a new head on the new classes. Here the base is ResNet18 with ImageNet weights (shipped in
// a NuGet package, no download); the head is global average pooling, Dense(256, relu), Dropout, Dense.
// With the base frozen, its output for each image never changes, so it is computed once (a feature cache)
// and the head trains on those features in seconds. As a control, the same network with random weights.
// Fashion-MNIST's 28x28 gray images are repeated to RGB and resized to the model's input as batches are drawn.
//
// Writes (examples/out/09-transfer-learning/, or $IMGCLASS_EXAMPLES_OUT/09-transfer-learning/):
//   pretrained-vs-random.png (validation accuracy by epoch), predictions.png
using ImageClassifier.Data;
using ImageClassifier.Evaluation;
using ImageClassifier.Models.Pretrained;
using ImageClassifier.Reporting;
using ImageClassifier.Training;
using ImageClassifier.Training.Callbacks;

string output = Directory.CreateDirectory(Path.Combine(Environment.GetEnvironmentVariable("IMGCLASS_EXAMPLES_OUT")
    ?? Path.Combine((string)AppContext.GetData("EntryPointFileDirectoryPath")!, "out"), "09-transfer-learning")).FullName;
bool quick = Environment.GetEnvironmentVariable("IMGCLASS_EXAMPLES_SHORT") == "1";   // CI: 64 px, a few hundred images, one epoch

var (all, test) = DatasetCatalog.Load("fashion-mnist", new DatasetLocator());
var (train, validation) = Splits.StratifiedSplit(all.Subset(SampleGrid.Pick(all, quick ? 300 : 2_000)), 0.2, seed: 42);
test = test!.Take(quick ? 100 : 1_000);
int size = quick ? 64 : 112;   // ImageNet's 224 costs 4x the time of 112 for little gain on 28 px images
var options = new TrainingOptions { Epochs = quick ? 1 : 30, LearningRate = 1e-3 };
var stage = new FineTuningOptions { FreezeEpochs = options.Epochs, FineTuneEpochs = 0 };   // the head only (09); 10 adds stage 2

var plot = new ScottPlot.Plot();
foreach (bool pretrained in new[] { true, false })
{
    using var model = TransferLearning.FromPretrained("resnet18-imagenet", train.ClassNames, size: (size, size), loadWeights: pretrained);
    if (pretrained) Console.WriteLine(model.Summary().ToText("resnet18-imagenet + head"));
    var history = FineTuning.Train(model, train, validation, options, stage, _ => [new ProgressLogger()], Console.WriteLine)[0].History;
    var result = model.Evaluate(test);
    string name = pretrained ? "ImageNet weights" : "random weights";
    Console.WriteLine($"{name}: best val_accuracy {history.Values("val_accuracy").Max():0.000}, test accuracy {result.Accuracy:0.000}\n");
    plot.Add.Scatter(Enumerable.Range(1, history.Count).Select(e => (double)e).ToArray(), history.Values("val_accuracy")).LegendText = name;
    if (pretrained)
        Png.Write(Path.Combine(output, "predictions.png"), PredictionGrid.Render(test, PredictionGrid.Spread(
            ErrorAnalysis.Samples(result.Probabilities, result.Labels, result.Predicted, result.ClassNames), 16), columns: 4));
}
plot.Title($"Frozen ResNet18 base, new head: {train.Count:N0} training images at {size}x{size}");
plot.XLabel("epoch");
plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
plot.YLabel("validation accuracy");
plot.ShowLegend(ScottPlot.Alignment.LowerRight);
ReportFonts.Apply(plot);
File.WriteAllBytes(Path.Combine(output, "pretrained-vs-random.png"), plot.GetImageBytes(800, 450, ScottPlot.ImageFormat.Png));
Console.WriteLine($"Pictures in {output}");
