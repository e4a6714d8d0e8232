#:package Microsoft.ML@5.0.1
#:package Microsoft.ML.ImageAnalytics@5.0.1
#:package Microsoft.ML.OnnxTransformer@5.0.1
#:package Microsoft.ML.DnnImageFeaturizer.ResNet18@0.23.1
#:package Microsoft.ML.OnnxRuntime@1.32.0
#:property PublishAot=false
#:property ManagePackageVersionsCentrally=false
// What a .NET developer gets from ML.NET today for ImageNet features: DnnFeaturizeImage(ResNet18) over a folder of
// JPEGs (load, resize to 224, planar pixels, ONNX Runtime one image a call), timed in 3 passes after a fit on 4
// images. The comparison for `imgclass predict` on a transfer model (bench/onnx-predict.sh's folder).
// Not part of the build: run it on its own, `dotnet run -c Release bench/mlnet_featurizer.cs FOLDER`.
using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;

string folder = args[0];
var files = Directory.EnumerateFiles(folder, "*.jpg", SearchOption.AllDirectories).Order().Select(f => new Input { ImagePath = f }).ToList();
var ml = new MLContext(seed: 1);
var data = ml.Data.LoadFromEnumerable(files);
var pipeline = ml.Transforms.LoadImages("Image", "", nameof(Input.ImagePath))
    .Append(ml.Transforms.ResizeImages("Image", 224, 224))
    .Append(ml.Transforms.ExtractPixels("Pixels", "Image", interleavePixelColors: false))
    .Append(ml.Transforms.DnnFeaturizeImage("Features", m => m.ModelSelector.ResNet18(ml, m.OutputColumn, m.InputColumn), "Pixels"));
var model = pipeline.Fit(ml.Data.LoadFromEnumerable(files.Take(4)));
for (int round = 0; round < 3; round++)
{
    var clock = Stopwatch.StartNew();
    var features = model.Transform(data).GetColumn<float[]>("Features").ToList();
    Console.WriteLine($"ML.NET DnnFeaturizeImage(ResNet18): {features.Count} images, {features[0].Length} features each, {features.Count / clock.Elapsed.TotalSeconds:F1} images/s");
}

public sealed class Input { public string ImagePath { get; set; } = ""; }
