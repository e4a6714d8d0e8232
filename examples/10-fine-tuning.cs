#:project ../src/ImageClassifier/ImageClassifier.csproj
#:property PublishAot=false
// 10. Fine-tuning: after the new head has trained, unfreeze the top of the base and train on, slowly.
//
// Keras' guide, second stage: once the head is trained (09), unfreeze the base's last blocks and train
// them too, with a learning rate ten to a hundred times lower, so the pretrained weights adapt to the new
// images without being destroyed. Batch normalisation stays in inference mode (its ImageNet statistics
// kept), as the guide recommends. The task: the four classes of Fashion-MNIST that look alike (T-shirt/top,
// Pullover, Coat, Shirt), where ImageNet's features alone fall short.
//
// Writes (examples/out/10-fine-tuning/, or $IMGCLASS_EXAMPLES_OUT/10-fine-tuning/):
//   look-alikes.png (the four classes), fine-tuning-curves.png (accuracy by epoch through both stages)
using ImageClassifier.Data;
using ImageClassifier.Evaluation;
using ImageClassifier.Models.Pretrained;
using ImageClassifier.Reporting;
using ImageClassifier.Training;
using ImageClassifier.Training.Callbacks;

string output = Directory.CreateDirectory(Path.Combine(Environment.GetEnvironmentVariable("IMGCLASS_EXAMPLES_OUT")
    ?? Path.Combine((string)AppContext.GetData("EntryPointFileDirectoryPath")!, "out"), "10-fine-tuning")).FullName;
bool quick = Environment.GetEnvironmentVariable("IMGCLASS_EXAMPLES_SHORT") == "1";   // CI: 64 px, a few hundred images, one epoch a stage

// Keep four classes and number them 0..3.
int[] keep = [0, 2, 4, 6];
ImageDataset LookAlikes(ImageDataset data, int count)
{
    var indices = Enumerable.Range(0, data.Count).Where(i => keep.Contains(data.Labels[i])).Take(count).ToArray();
    var subset = data.Subset(indices);
    return new ImageDataset("look-alikes", subset.Shape, [.. keep.Select(c => data.ClassNames[c])], subset.Pixels,
        [.. subset.Labels.Select(label => Array.IndexOf(keep, label))]);
}
var (all, test) = DatasetCatalog.Load("fashion-mnist", new DatasetLocator());
var (train, validation) = Splits.StratifiedSplit(LookAlikes(all, quick ? 160 : 1_000), 0.2, seed: 42);
test = LookAlikes(test!, quick ? 80 : 1_000);
Png.Write(Path.Combine(output, "look-alikes.png"), SampleGrid.Render(train, count: 16, columns: 4));

using var model = TransferLearning.FromPretrained("resnet18-imagenet", train.ClassNames, size: quick ? (64, 64) : (112, 112));
var stages = new FineTuningOptions
{
    FreezeEpochs = quick ? 1 : 20,    // stage 1: the head alone, on cached features
    FineTuneEpochs = quick ? 1 : 5,   // stage 2: layer3, layer4 and the head
    FineTuneAt = "layer3",
    FineTuneLearningRate = 1e-4,      // a tenth of stage 1's 1e-3
    TrainBatchNorm = false,           // batch norm keeps ImageNet's statistics
};
var results = FineTuning.Train(model, train, validation, new TrainingOptions { LearningRate = 1e-3 }, stages,
    _ => [new ProgressLogger()], Console.WriteLine);
foreach (var stage in results)
    Console.WriteLine($"{stage.Stage,-9}: trainable {stage.TrainableParameters:N0}, frozen {stage.NonTrainableParameters:N0}, " +
        $"best val_accuracy {stage.History.Values("val_accuracy").Max():0.000}");
Console.WriteLine($"test accuracy after fine-tuning: {model.Evaluate(test).Accuracy:0.000}");

// Both stages' curves on one axis, with a line where fine-tuning starts (as Keras' guide draws it).
var plot = new ScottPlot.Plot();
foreach (var (metric, label) in new[] { ("accuracy", "training"), ("val_accuracy", "validation") })
{
    double[] values = [.. results.SelectMany(s => s.History.Values(metric))];
    plot.Add.Scatter(Enumerable.Range(1, values.Length).Select(e => (double)e).ToArray(), values).LegendText = label;
}
plot.Add.VerticalLine(results[0].History.Count + 0.5, pattern: ScottPlot.LinePattern.Dashed).LegendText = "fine-tuning starts";
plot.Title("Head on a frozen ResNet18, then fine-tuning from layer3");
plot.XLabel("epoch");
plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
plot.YLabel("accuracy");
plot.ShowLegend(ScottPlot.Alignment.LowerRight);
ReportFonts.Apply(plot);
File.WriteAllBytes(Path.Combine(output, "fine-tuning-curves.png"), plot.GetImageBytes(800, 450, ScottPlot.ImageFormat.Png));
Console.WriteLine($"Pictures in {output}");
