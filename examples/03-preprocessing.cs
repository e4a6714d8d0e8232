#:project ../src/ImageClassifier/ImageClassifier.csproj
#:property PublishAot=false
// 03. Preprocessing: pixel values scaled for the network, and labels as one-hot vectors.
//
// Networks train best on small inputs, so Keras' tutorial divides pixels by 255 (0..1); standardising
// each channel (subtract the mean, divide by the std) is the other common choice. Here preprocessing is
// part of the model (Classifier.Preprocessing, saved with it), so the dataset stays as compact bytes and
// predict applies exactly what training did. Labels stay class indices: cross-entropy on indices is the
// same number as Keras' categorical cross-entropy on one-hot vectors, as the end of this example checks.
//
// Writes (examples/out/03-preprocessing/, or $IMGCLASS_EXAMPLES_OUT/03-preprocessing/):
//   pixel-histograms.png (pixel values as bytes, scaled to 0..1, and standardised)
using ImageClassifier.Data;
using ImageClassifier.Imaging;
using ImageClassifier.Reporting;
using ScottPlot;
using static TorchSharp.torch;

string output = Directory.CreateDirectory(Path.Combine(Environment.GetEnvironmentVariable("IMGCLASS_EXAMPLES_OUT")
    ?? Path.Combine((string)AppContext.GetData("EntryPointFileDirectoryPath")!, "out"), "03-preprocessing")).FullName;
bool quick = Environment.GetEnvironmentVariable("IMGCLASS_EXAMPLES_SHORT") == "1";

var train = DatasetCatalog.Load("fashion-mnist", new DatasetLocator()).Train.Take(quick ? 2_000 : 10_000);
var bytes = tensor(train.Pixels, [train.Count, train.Shape.Channels, train.Shape.Height, train.Shape.Width]);   // uint8 N x C x H x W

var unit = Preprocessing.UnitRange;                 // x / 255, Keras' tutorial
var standardize = ChannelStatistics.Of(train).Standardization();   // x / 255, then (x - mean) / std per channel, from the training images
Console.WriteLine($"unit range:  {unit}\nstandardize: {standardize}");
var views = new (string Name, Tensor Values)[] { ("bytes (uint8)", bytes.to_type(ScalarType.Float32)), ("x / 255", unit.Apply(bytes)), ("standardised", standardize.Apply(bytes)) };
foreach (var (name, values) in views)
    Console.WriteLine($"{name,-14} min {values.min().item<float>(),8:0.000}  max {values.max().item<float>(),8:0.000}  mean {values.mean().item<float>(),8:0.000}  std {values.std().item<float>(),7:0.000}");

// One histogram per view: the shape stays, only the scale changes (the spike is the black background).
var figure = new Multiplot { Layout = new ScottPlot.MultiplotLayouts.Columns() };
foreach (var (name, values) in views)
{
    var plot = new Plot();
    var histogram = ScottPlot.Statistics.Histogram.WithBinCount(32, values.data<float>().Select(v => (double)v));
    foreach (var bar in plot.Add.Bars(histogram.Bins, histogram.Counts).Bars) bar.Size = histogram.FirstBinSize;
    plot.Title(name);
    plot.XLabel("pixel value");
    plot.YLabel("pixels");
    ReportFonts.Apply(plot);
    figure.AddPlot(plot);
}
figure.RemovePlot(figure.GetPlot(0));   // a Multiplot starts with an empty plot of its own
File.WriteAllBytes(Path.Combine(output, "pixel-histograms.png"), figure.Render(1200, 400).GetImageBytes(ScottPlot.ImageFormat.Png, 100));

// One-hot labels: row i has a 1 in the column of image i's class.
var labels = tensor(train.Labels.Take(5).Select(l => (long)l).ToArray());
var oneHot = nn.functional.one_hot(labels, train.ClassCount).to_type(ScalarType.Float32);
for (int i = 0; i < 5; i++)
    Console.WriteLine($"label {train.Labels[i]} ({train.ClassNames[train.Labels[i]],-11}) -> [{string.Join(" ", oneHot[i].data<float>().ToArray())}]");

// Cross-entropy of some logits: on class indices (what training uses) and on one-hot rows (Keras' categorical form).
manual_seed(0);
var logits = randn(5, train.ClassCount);
double sparse = nn.functional.cross_entropy(logits, labels).item<float>();
double categorical = -(oneHot * nn.functional.log_softmax(logits, 1)).sum(1).mean().item<float>();
Console.WriteLine($"cross-entropy on indices {sparse:0.000000}, on one-hot rows {categorical:0.000000}");
Console.WriteLine($"Pictures in {output}");
