#:project ../src/ImageClassifier/ImageClassifier.csproj
#:property PublishAot=false
// 01. How a computer sees an image, and colour spaces.
//
// An image is a grid of numbers: height x width x channels, each 0..255 (uint8). Fashion-MNIST's
// images are 28x28 with one channel (gray); colour images have three (red, green, blue). The library
// keeps images channels first (C x H x W), as the tensors are. This example prints one Fashion-MNIST
// image as numbers, then builds a colour picture in HSV (hue along x), converts it to RGB, and writes
// its channels and its gray, HSV and Lab views, as OpenCV's cvtColor computes them.
//
// Writes (examples/out/01-image-basics/, or $IMGCLASS_EXAMPLES_OUT/01-image-basics/):
//   fashion-sample.png, image.png, red.png, green.png, blue.png, gray.png,
//   hsv.png, hsv-h.png, hsv-s.png, hsv-v.png, lab.png, lab-l.png, lab-a.png, lab-b.png
using ImageClassifier.Data;
using ImageClassifier.Imaging;
using static TorchSharp.torch;

string output = Directory.CreateDirectory(Path.Combine(Environment.GetEnvironmentVariable("IMGCLASS_EXAMPLES_OUT")
    ?? Path.Combine((string)AppContext.GetData("EntryPointFileDirectoryPath")!, "out"), "01-image-basics")).FullName;

// One grayscale image: 784 bytes, shape 28x28x1.
var fashion = DatasetCatalog.Load("fashion-mnist", new DatasetLocator()).Train;
var pixels = fashion.Image(0).ToArray();
Console.WriteLine($"{fashion.Name}: {fashion.Count:N0} images of {fashion.Shape}; image 0 is a '{fashion.ClassNames[fashion.Labels[0]]}'");
Console.WriteLine($"dtype uint8, min {pixels.Min()}, max {pixels.Max()}, mean {pixels.Average(p => p):0.0}");
const string ramp = " .:-=+*#%@";   // darker to brighter, one character per pixel
for (int y = 0; y < fashion.Shape.Height; y++)
    Console.WriteLine(string.Concat(Enumerable.Range(0, fashion.Shape.Width).Select(x => ramp[pixels[y * fashion.Shape.Width + x] * (ramp.Length - 1) / 255])));
var sample = new DecodedImage(fashion.Shape.Width, fashion.Shape.Height, 1, pixels).ResizeTo(new ImageShape(1, 112, 112));
ImageEncoder.WritePng(Path.Combine(output, "fashion-sample.png"), sample.Pixels, sample.Shape);

// A colour picture made in HSV: hue sweeps left to right, saturation fades downwards, value (brightness)
// falls along the diagonal. Float HSV takes hue in degrees and S, V in 0..1 (OpenCV's float convention).
const int height = 96, width = 160;
var ys = arange(height, dtype: ScalarType.Float32).view(height, 1).expand(height, width);
var xs = arange(width, dtype: ScalarType.Float32).view(1, width).expand(height, width);
var hsv = stack([xs * (360f / width), 1f - ys * (0.8f / height), 1f - (xs / width + ys / height) * 0.3f]);
var rgb = (ColorSpaces.HsvToRgb(hsv) * 255f).round().to_type(ScalarType.Byte);   // 3 x H x W, uint8
var image = new DecodedImage(width, height, 3, rgb.data<byte>().ToArray());

// Back to HSV in 8 bits: hue is stored as degrees / 2 (0..179) so that it fits a byte.
var hsv8 = ColorSpaces.RgbToHsv(rgb);
Console.WriteLine($"pixel (0, 40): RGB {string.Join(", ", rgb[.., 0, 40].data<byte>().ToArray())}, HSV (8-bit) {string.Join(", ", hsv8[.., 0, 40].data<byte>().ToArray())}");
var roundTrip = ColorSpaces.HsvToRgb(hsv8).to_type(ScalarType.Int32) - rgb.to_type(ScalarType.Int32);
Console.WriteLine($"RGB -> HSV -> RGB in 8 bits changes a channel by at most {roundTrip.abs().max().item<int>()}");

// The channels as gray pictures, then gray, HSV and Lab views (hsv.png and lab.png show their three channels as false colour).
foreach (var view in ImageInspection.WriteViews(image, output))
    Console.WriteLine($"  {Path.GetFileName(view.Path),-12} {view.Description}");
Console.WriteLine($"Pictures in {output}");
