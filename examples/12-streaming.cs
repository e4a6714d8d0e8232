#:project ../src/ImageClassifier/ImageClassifier.csproj
#:property PublishAot=false
// 12. An efficient input pipeline: images streamed from disk by worker threads, with a cache.
//
// When a folder of images does not fit in memory, batches are decoded from the files as training goes
// (Keras' tf.data with prefetch, PyTorch's DataLoader with workers): worker threads decode and resize
// the next batches while the model trains on this one, and a cache keeps decoded images for later epochs
// (Keras' .cache()). This example writes a folder of JPEGs, then trains the same model three ways (all in
// memory, streamed, streamed with a cache) and compares their speed per epoch. It also deletes a file in
// mid-run: the stream skips it with a warning instead of stopping.
//
// Writes (examples/out/12-streaming/, or $IMGCLASS_EXAMPLES_OUT/12-streaming/):
//   jpegs/ (the folder), first-batch.png (one streamed batch), throughput.png (images/s by epoch and way)
using ImageClassifier.Data;
using ImageClassifier.Data.Loading;
using ImageClassifier.Engine;
using ImageClassifier.Imaging;
using ImageClassifier.Models;
using ImageClassifier.Reporting;
using ImageClassifier.Training;

string output = Directory.CreateDirectory(Path.Combine(Environment.GetEnvironmentVariable("IMGCLASS_EXAMPLES_OUT")
    ?? Path.Combine((string)AppContext.GetData("EntryPointFileDirectoryPath")!, "out"), "12-streaming")).FullName;
bool quick = Environment.GetEnvironmentVariable("IMGCLASS_EXAMPLES_SHORT") == "1";   // CI: fewer images, two epochs

// A folder of 64x64 JPEGs (Fashion-MNIST enlarged), one subfolder per class.
var fashion = DatasetCatalog.Load("fashion-mnist", new DatasetLocator()).Train;
string folder = Path.Combine(output, "jpegs");
if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
var large = new ImageShape(1, 64, 64);
foreach (int i in SampleGrid.Pick(fashion, quick ? 400 : 6_000))
{
    var image = new DecodedImage(28, 28, 1, fashion.Image(i).ToArray()).ResizeTo(large);
    string classFolder = Directory.CreateDirectory(Path.Combine(folder, fashion.ClassNames[fashion.Labels[i]].Replace('/', '-'))).FullName;
    File.WriteAllBytes(Path.Combine(classFolder, $"{i}.jpg"), ImageEncoder.EncodeJpeg(image.Pixels, large));
}

// libtorch on one thread leaves the other core to the decoders (on 2 cores; see README's Limits).
TorchRuntime.Configure(threads: 1);
var shape = new ImageShape(1, 32, 32);   // decoded and resized to the model's input by the workers
var options = new TrainingOptions { Epochs = quick ? 2 : 3 };
var speeds = new Dictionary<string, double[]>();

// 1. Everything decoded into memory first (ImageFolderReader), as 11 did.
var inMemory = ImageFolderReader.Read(folder, new ImageFolderOptions(shape)).Dataset;
var (trainIndices, validationIndices) = Splits.StratifiedIndices(inMemory.Labels, inMemory.ClassCount, 0.1, seed: 42);
using (var model = Classifier.Create("tutorial-cnn", shape, inMemory.ClassNames))
    speeds["in memory"] = model.Fit(inMemory.Subset(trainIndices), inMemory.Subset(validationIndices), options).Values("images_per_s");

// 2. and 3. Streamed: two workers, two batches ahead each; then the same with decoded images cached in memory.
foreach (var (name, cache) in new[] { ("streamed", (DecodedImageCache?)null), ("streamed + cache", DecodedImageCache.InMemory(64L << 20)) })
{
    var source = StreamingImageFolderSource.Open(folder, shape, new StreamingOptions { Workers = 2, PrefetchPerWorker = 2, Cache = cache });
    var (trainPart, validationPart) = Splits.StratifiedIndices(source.Labels, source.ClassNames.Count, 0.1, seed: 42);
    var train = source.Subset(trainPart);          // streamed
    train.FileSkipped += file => Console.WriteLine($"warning: skipped {Path.GetFileName(file.Path)}: {file.Reason}");
    var validation = source.Load(validationPart);  // the validation part is small: decoded into memory
    if (name == "streamed")
    {
        using var first = train.Batches(16, new ShuffleSampler(42), epoch: 1).First();   // uint8 [16, 1, 32, 32] and labels [16]
        var images = Enumerable.Range(0, first.Size).Select(i => first.Images[i].data<byte>().ToArray()).ToList();
        File.WriteAllBytes(Path.Combine(output, "first-batch.png"), ImageGrid.EncodePng(images, shape, columns: 8));
        File.Delete(train.Files[^1].Path);   // a file vanishes after listing: the epoch that reaches it skips it
    }
    using var model = Classifier.Create("tutorial-cnn", shape, source.ClassNames);
    speeds[name] = model.Fit(train, validation, options).Values("images_per_s");
    if (cache is not null) Console.WriteLine($"cache: {cache.Hits:N0} hits, {cache.Misses:N0} misses, {cache.StoredBytes / 1024:N0} KiB");
}
foreach (var (name, values) in speeds) Console.WriteLine($"{name,-17} images/s by epoch: {string.Join(", ", values.Select(v => v.ToString("N0")))}");

var plot = new ScottPlot.Plot();   // one bar per way and epoch
string[] labels = [.. speeds.SelectMany(s => s.Value.Select((_, e) => $"{s.Key}, {e + 1}"))];
plot.Add.Bars(speeds.SelectMany(s => s.Value).ToArray());
plot.Axes.Bottom.SetTicks(labels.Select((_, i) => (double)i).ToArray(), labels);
plot.Title($"Training speed by epoch ({inMemory.Count:N0} JPEGs, 64 to 32 px)");
plot.XLabel("way, epoch");
plot.YLabel("images per second");
ReportFonts.Apply(plot);
File.WriteAllBytes(Path.Combine(output, "throughput.png"), plot.GetImageBytes(1100, 450, ScottPlot.ImageFormat.Png));
Console.WriteLine($"Pictures in {output}");
