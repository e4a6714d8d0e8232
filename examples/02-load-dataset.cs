#:project ../src/ImageClassifier/ImageClassifier.csproj
#:property PublishAot=false
// 02. Loading a standard dataset: its images, labels, class names and a grid of samples.
//
// Keras' tutorial calls datasets.cifar10.load_data(). CIFAR-10 needs a download (there is no network
// here), so this example loads Fashion-MNIST, which Debian installs (dataset-fashion-mnist), from the
// same catalog that also knows mnist and cifar10. It then shows CIFAR-10's binary format by writing a
// small dataset in it (Fashion-MNIST images, tinted per class and resized to 32x32 RGB) and reading it back.
//
// Writes (examples/out/02-load-dataset/, or $IMGCLASS_EXAMPLES_OUT/02-load-dataset/):
//   samples.png (25 training images with their class names), cifar-format-samples.png
using ImageClassifier.Data;
using ImageClassifier.Imaging;
using ImageClassifier.Reporting;

string output = Directory.CreateDirectory(Path.Combine(Environment.GetEnvironmentVariable("IMGCLASS_EXAMPLES_OUT")
    ?? Path.Combine((string)AppContext.GetData("EntryPointFileDirectoryPath")!, "out"), "02-load-dataset")).FullName;

// The catalog: which named datasets exist and whether their files are on this machine.
var locator = new DatasetLocator();
foreach (var entry in DatasetCatalog.Entries)
    Console.WriteLine($"{entry.Name,-14} {entry.Description} ({(DatasetCatalog.FindLocal(entry, locator) is { } folder ? folder : "not here: needs a download")})");

var (train, test) = DatasetCatalog.Load("fashion-mnist", locator);
Console.WriteLine($"\ntrain: {train}\ntest:  {test}");
Console.WriteLine($"class names: {string.Join(", ", train.ClassNames.Select((name, i) => $"{i} {name}"))}");
Console.WriteLine($"first labels: {string.Join(" ", train.Labels.Take(10))}; images per class: {string.Join(" ", train.ClassCounts())}");
Png.Write(Path.Combine(output, "samples.png"), SampleGrid.Render(train, count: 25, columns: 5));

// CIFAR-10's binary format: six files (data_batch_1..5.bin, test_batch.bin) of records, each one label
// byte then 3 x 32 x 32 pixel bytes (the red plane, the green plane, the blue plane).
string cifarFolder = Directory.CreateDirectory(Path.Combine(output, "cifar-format")).FullName;
byte[][] tints = [[255, 90, 90], [90, 200, 90], [90, 120, 255], [255, 200, 60], [200, 90, 255],
                  [60, 220, 220], [255, 140, 40], [150, 150, 150], [120, 80, 40], [255, 120, 200]];
var cifarShape = new ImageShape(3, 32, 32);
string[] files = [.. Enumerable.Range(1, 5).Select(i => $"data_batch_{i}.bin"), "test_batch.bin"];
for (int f = 0; f < files.Length; f++)
{
    using var batch = File.Create(Path.Combine(cifarFolder, files[f]));
    for (int i = f * 20; i < f * 20 + 20; i++)   // 20 images per file
    {
        int label = test!.Labels[i];
        var rgb = new DecodedImage(28, 28, 1, test.Image(i).ToArray()).ResizeTo(cifarShape).Pixels;  // gray repeated to R, G, B
        batch.WriteByte((byte)label);
        for (int p = 0; p < rgb.Length; p++) batch.WriteByte((byte)(rgb[p] * tints[label][p / 1024] / 255));
    }
}
File.WriteAllLines(Path.Combine(cifarFolder, "batches.meta.txt"), test!.ClassNames);   // the class names, one a line
var cifar = DatasetCatalog.Load(cifarFolder, locator);    // a path: the reader is chosen by what the folder holds
Console.WriteLine($"\nread back: {cifar.Train} and {cifar.Test!.Count} test images");
Png.Write(Path.Combine(output, "cifar-format-samples.png"), SampleGrid.Render(cifar.Train, count: 20, columns: 5, title: "CIFAR-10 format: 20 of 100 images"));
Console.WriteLine($"Pictures in {output}");
