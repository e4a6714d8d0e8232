#:project ../src/ImageClassifier/ImageClassifier.csproj
#:property PublishAot=false
// 13. Grad-CAM: where in the image the network looked to decide its class.
//
// Grad-CAM (Selvaraju et al.; Keras' "Grad-CAM class activation visualization" example) takes a
// convolution layer's feature maps, weighs each map by how much the class score's gradient says it
// matters, and keeps the positive sum: a coarse heatmap of the regions that raised that class. Here a
// small CNN learns to tell circles, squares and triangles drawn anywhere on a noisy background, so the
// heatmap has an obvious right answer: the shape. Each panel shows image | heatmap | overlay.
//
// Writes (examples/out/13-grad-cam/, or $IMGCLASS_EXAMPLES_OUT/13-grad-cam/):
//   gradcam-1.png ... gradcam-4.png, gradcam-plus-plus.png, gradcam-first-layer.png
using ImageClassifier.Data;
using ImageClassifier.Evaluation;
using ImageClassifier.Evaluation.Explain;
using ImageClassifier.Imaging;
using ImageClassifier.Models;
using ImageClassifier.Models.Layers;
using ImageClassifier.Reporting;
using ImageClassifier.Training;
using SkiaSharp;

string output = Directory.CreateDirectory(Path.Combine(Environment.GetEnvironmentVariable("IMGCLASS_EXAMPLES_OUT")
    ?? Path.Combine((string)AppContext.GetData("EntryPointFileDirectoryPath")!, "out"), "13-grad-cam")).FullName;
bool quick = Environment.GetEnvironmentVariable("IMGCLASS_EXAMPLES_SHORT") == "1";   // CI: fewer images, one epoch

// Shapes at random places on noise, 64x64 RGB, drawn in memory.
string[] classes = ["circle", "square", "triangle"];
var shape = new ImageShape(3, 64, 64);
var random = new Random(3);
ImageDataset Draw(string name, int perClass)
{
    var labels = Enumerable.Range(0, classes.Length * perClass).Select(i => i % classes.Length).ToArray();
    var pixels = labels.SelectMany(label =>
    {
        using var surface = SKSurface.Create(new SKImageInfo(64, 64));
        using var paint = new SKPaint();
        for (int y = 0; y < 64; y += 4)
            for (int x = 0; x < 64; x += 4)   // 4x4 blocks of random gray
            {
                paint.Color = SKColor.FromHsv(0, 0, random.Next(40, 80));
                surface.Canvas.DrawRect(x, y, 4, 4, paint);
            }
        (paint.Color, paint.IsAntialias) = (SKColor.FromHsv(random.Next(360), 80, 95), true);
        float r = random.Next(7, 13), cx = random.Next(14, 50), cy = random.Next(14, 50);
        if (label == 0) surface.Canvas.DrawCircle(cx, cy, r, paint);
        else if (label == 1) surface.Canvas.DrawRect(cx - r, cy - r, 2 * r, 2 * r, paint);
        else surface.Canvas.DrawPath(SKPath.ParseSvgPathData($"M{cx},{cy - r} L{cx + r},{cy + r} L{cx - r},{cy + r} Z"), paint);
        using var png = surface.Snapshot().Encode(SKEncodedImageFormat.Png, 100);
        return ImageDecoder.Decode(png.AsSpan(), shape);   // to planar RGB bytes, 3 x 64 x 64
    }).ToArray();
    return new ImageDataset(name, shape, classes, pixels, labels);
}
var train = Draw("shapes", quick ? 50 : 400);
var test = Draw("shapes-test", quick ? 10 : 50);

// "same" padding keeps the last feature maps at 16x16, fine enough for a useful heatmap.
using var model = new Classifier(new ModelSpec("shapes-cnn", [3, 64, 64], 3,
[
    new Conv2D(32, 3, Padding: "same"), new BatchNorm(), new Activation("relu"), new MaxPool2D(2),
    new Conv2D(64, 3, Padding: "same"), new BatchNorm(), new Activation("relu"), new MaxPool2D(2),
    new Conv2D(64, 3, Padding: "same"), new BatchNorm(), new Activation("relu"),
    new GlobalAveragePool(), new Dense(3),
]), classes);
model.Fit(train, options: new TrainingOptions { Epochs = quick ? 1 : 15 });
Console.WriteLine($"test accuracy {model.Evaluate(test).Accuracy:0.000}");

var gradCam = new GradCam(model);
Console.WriteLine($"layers Grad-CAM can use: {string.Join(", ", gradCam.Layers)}; default: the last, {gradCam.Layer}");
var panels = model.ExplainPngs(test, [0, 1, 2, 3]);   // the predicted class of each, at the last convolution layer
for (int i = 0; i < panels.Count; i++) File.WriteAllBytes(Path.Combine(output, $"gradcam-{i + 1}.png"), panels[i]);

// Grad-CAM++ weighs the maps differently (better with several objects); the first layer sees edges, not shapes.
File.WriteAllBytes(Path.Combine(output, "gradcam-plus-plus.png"), model.ExplainPngs(test, [0], new ExplainOptions(Method: CamMethod.GradCamPlusPlus))[0]);
File.WriteAllBytes(Path.Combine(output, "gradcam-first-layer.png"), model.ExplainPngs(test, [0], new ExplainOptions(Layer: gradCam.Layers[0]))[0]);
Console.WriteLine($"Pictures in {output}");
