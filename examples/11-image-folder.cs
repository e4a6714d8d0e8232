#:project ../src/ImageClassifier/ImageClassifier.csproj
#:property PublishAot=false
// 11. Your own images: a folder with one subfolder per class.
//
// Keras' image_dataset_from_directory reads a folder laid out root/<class>/<image>: the subfolder names
// become the class names, every image is decoded and resized to one size. This example first makes such a
// folder, drawing circles, squares and triangles of random colour, size and position on canvases of random
// size (PNG and JPEG, train/ and test/ parts, plus one broken file), then reads it back and trains on it.
// Images are recognised by content, not by extension; files that are not images are skipped and listed.
//
// Writes (examples/out/11-image-folder/, or $IMGCLASS_EXAMPLES_OUT/11-image-folder/):
//   shapes/ (the image folder), samples.png (as read, 48x48), predictions.png
using ImageClassifier.Data;
using ImageClassifier.Evaluation;
using ImageClassifier.Imaging;
using ImageClassifier.Models;
using ImageClassifier.Reporting;
using ImageClassifier.Training;
using SkiaSharp;

string output = Directory.CreateDirectory(Path.Combine(Environment.GetEnvironmentVariable("IMGCLASS_EXAMPLES_OUT")
    ?? Path.Combine((string)AppContext.GetData("EntryPointFileDirectoryPath")!, "out"), "11-image-folder")).FullName;
bool quick = Environment.GetEnvironmentVariable("IMGCLASS_EXAMPLES_SHORT") == "1";   // CI: fewer images, one epoch

// Make the folder: shapes/train/circle/0.png, shapes/test/triangle/3.jpg, ...
string root = Path.Combine(output, "shapes");
if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
var random = new Random(7);
string[] classes = ["circle", "square", "triangle"];
foreach (var (part, count) in new[] { ("train", quick ? 60 : 400), ("test", quick ? 20 : 100) })
    foreach (string shape in classes)
        for (int i = 0; i < count; i++)
        {
            int width = random.Next(64, 129), height = random.Next(64, 129);
            using var surface = SKSurface.Create(new SKImageInfo(width, height));
            var canvas = surface.Canvas;
            canvas.Clear(SKColor.FromHsv(random.Next(360), random.Next(0, 30), random.Next(70, 100)));   // a pale background
            using var paint = new SKPaint { Color = SKColor.FromHsv(random.Next(360), random.Next(50, 100), random.Next(30, 90)), IsAntialias = true };
            float r = Math.Min(width, height) * (0.15f + 0.2f * random.NextSingle());
            canvas.Translate(r + random.NextSingle() * (width - 2 * r), r + random.NextSingle() * (height - 2 * r));
            canvas.RotateDegrees(random.Next(360));
            if (shape == "circle") canvas.DrawCircle(0, 0, r, paint);
            else if (shape == "square") canvas.DrawRect(-r * 0.8f, -r * 0.8f, r * 1.6f, r * 1.6f, paint);
            else canvas.DrawPath(SKPath.ParseSvgPathData($"M0,{-r} L{r * 0.87f},{r / 2} L{-r * 0.87f},{r / 2} Z"), paint);
            bool jpeg = i % 3 == 0;
            using var encoded = surface.Snapshot().Encode(jpeg ? SKEncodedImageFormat.Jpeg : SKEncodedImageFormat.Png, 90);
            string folder = Directory.CreateDirectory(Path.Combine(root, part, shape)).FullName;
            File.WriteAllBytes(Path.Combine(folder, $"{i}.{(jpeg ? "jpg" : "png")}"), encoded.ToArray());
        }
File.WriteAllText(Path.Combine(root, "train", "circle", "broken.png"), "not an image");   // skipped, with a warning

// Read it: train/ and test/ parts, every image decoded and resized to 3x48x48 (in parallel).
var read = ImageFolderReader.ReadSplits(root, new ImageFolderOptions(new ImageShape(3, 48, 48)));
foreach (var skipped in read.Skipped) Console.WriteLine($"skipped {Path.GetRelativePath(root, skipped.Path)}: {skipped.Reason}");
var (all, test) = read.Splits;
Console.WriteLine($"{all}\n{test}\nclass names (the folder names, sorted): {string.Join(", ", all.ClassNames)}");
Png.Write(Path.Combine(output, "samples.png"), SampleGrid.Render(all, count: 16, columns: 4));

var (train, validation) = Splits.StratifiedSplit(all, 0.2, seed: 42);
using var model = Classifier.Create("tutorial-cnn", train.Shape, train.ClassNames);
model.Fit(train, validation, new TrainingOptions { Epochs = quick ? 1 : 15 });
var result = model.Evaluate(test!);
Console.WriteLine($"test accuracy {result.Accuracy:0.000} on {result.Count} images");
Png.Write(Path.Combine(output, "predictions.png"), PredictionGrid.Render(test!, PredictionGrid.Spread(
    ErrorAnalysis.Samples(result.Probabilities, result.Labels, result.Predicted, result.ClassNames), 16), columns: 4));
Console.WriteLine($"Pictures in {output}");
