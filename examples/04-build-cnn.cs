#:project ../src/ImageClassifier/ImageClassifier.csproj
#:property PublishAot=false
// 04. The convolutional network: layers, output shapes, parameters, and a diagram.
//
// Keras' tutorial stacks Conv2D and MaxPooling2D layers (the convolutional base), then Flatten and Dense
// layers (the classifier on top), and prints model.summary(). The same network is built here as a layer
// list, whose output shapes are inferred like a Keras Sequential; the registry knows it as "tutorial-cnn".
// Shapes print Keras-style, (None, H, W, C); the last Dense layer gives one logit per class (softmax
// turns them into probabilities at prediction).
//
// Writes (examples/out/04-build-cnn/, or $IMGCLASS_EXAMPLES_OUT/04-build-cnn/):
//   model.svg and model.png (the diagram, Keras' plot_model style), first-layer-filters.png
using ImageClassifier.Data;
using ImageClassifier.Imaging;
using ImageClassifier.Models;
using ImageClassifier.Models.Layers;
using ImageClassifier.Reporting;
using static TorchSharp.torch;

string output = Directory.CreateDirectory(Path.Combine(Environment.GetEnvironmentVariable("IMGCLASS_EXAMPLES_OUT")
    ?? Path.Combine((string)AppContext.GetData("EntryPointFileDirectoryPath")!, "out"), "04-build-cnn")).FullName;

var data = DatasetCatalog.Load("fashion-mnist", new DatasetLocator()).Train;

var spec = new ModelSpec("tutorial-cnn", InputShape: [1, 28, 28], ClassCount: 10, Layers:
[
    new Conv2D(32, 3, Activation: "relu"), new MaxPool2D(2),   // 28x28 -> 26x26x32 -> 13x13x32
    new Conv2D(64, 3, Activation: "relu"), new MaxPool2D(2),   // -> 11x11x64 -> 5x5x64
    new Conv2D(64, 3, Activation: "relu"),                     // -> 3x3x64
    new Flatten(), new Dense(64, "relu"), new Dropout(0.5),    // -> 576 -> 64
    new Dense(10),                                             // one logit per class
]);
using var model = new Classifier(spec, data.ClassNames);
var summary = model.Summary();
Console.WriteLine(summary.ToText());

using var fromRegistry = Classifier.Create("tutorial-cnn", data.Shape, data.ClassNames);
Console.WriteLine($"The registry's tutorial-cnn has {fromRegistry.Summary().Total:N0} parameters too: {fromRegistry.Summary().Total == summary.Total}");

// The diagram: one box per layer with its input and output shapes.
var diagram = ModelDiagram.Of(model);
Console.WriteLine($"Diagram: {diagram.Save(Path.Combine(output, "model.svg"))}, {diagram.Save(Path.Combine(output, "model.png"))}");

// A forward pass before training: 4 images in, 4 rows of 10 probabilities out, all near 1/10.
var batch = tensor(data.Take(4).Pixels, [4, 1, 28, 28]);
var probabilities = model.PredictProbabilities(batch);
Console.WriteLine($"input {string.Join("x", batch.shape)} uint8 -> probabilities {string.Join("x", probabilities.shape)}; " +
    $"image 0: [{string.Join(" ", probabilities[0].data<float>().ToArray().Select(p => p.ToString("0.00")))}]");

// The first layer's 32 filters (3x3 weights, random until trained), scaled to 0..255 and enlarged to 24x24.
var weights = model.Network.parameters().First().detach();   // [32, 1, 3, 3]
var scaled = ((weights - weights.min()) / (weights.max() - weights.min()) * 255).to_type(ScalarType.Byte);
var tiles = Enumerable.Range(0, 32).Select(f => new DecodedImage(3, 3, 1, scaled[f].flatten().data<byte>().ToArray())
    .ResizeTo(new ImageShape(1, 24, 24)).Pixels).ToList();
File.WriteAllBytes(Path.Combine(output, "first-layer-filters.png"), ImageGrid.EncodePng(tiles, new ImageShape(1, 24, 24), columns: 8));
Console.WriteLine($"Pictures in {output}");
