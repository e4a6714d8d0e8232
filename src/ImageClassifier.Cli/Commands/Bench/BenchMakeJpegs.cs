using System.CommandLine;
using ImageClassifier.Cli.Infrastructure;
using ImageClassifier.Data;
using ImageClassifier.Imaging;

namespace ImageClassifier.Cli.Commands.Bench;

/// <summary>
/// imgclass bench make-jpegs: a folder of real JPEG files (class subfolders) made from a dataset's images,
/// resized (e.g. Fashion-MNIST upscaled to 224x224 RGB), to benchmark decoding and streaming.
/// </summary>
public static class BenchMakeJpegs
{
    public static Command Create()
    {
        var data = new DataOptions("The dataset the images come from (default fashion-mnist).");
        var output = new Option<string>("--output", "-o") { Description = "The folder to write (class subfolders of .jpg files).", Required = true };
        var count = new Option<int>("--count", "-n") { Description = "How many images (the first N of the split).", DefaultValueFactory = _ => 6000 };
        var size = new Option<int>("--size") { Description = "Side of the square JPEGs.", DefaultValueFactory = _ => 224 };
        var channels = new Option<int>("--jpeg-channels") { Description = "1 (grayscale JPEG) or 3 (RGB JPEG).", DefaultValueFactory = _ => 3 };
        var quality = new Option<int>("--quality") { Description = "JPEG quality, 1 to 100.", DefaultValueFactory = _ => 90 };
        var split = new Option<string>("--split") { Description = "train or test.", DefaultValueFactory = _ => "train" };
        split.AcceptOnlyFromAmong("train", "test");

        var command = new Command("make-jpegs", "Write a folder of JPEG files made from a dataset's images, for the decode and loader benchmarks.");
        data.AddTo(command);
        foreach (var option in new Option[] { output, count, size, channels, quality, split }) command.Options.Add(option);
        command.SetRun((parse, terminal) =>
        {
            var splits = data.Load(parse, terminal, parse.GetValue(data.Data!) ?? "fashion-mnist");
            var source = parse.GetValue(split) == "test" ? splits.Test ?? throw new ArgumentException("The dataset has no test split.") : splits.Train;
            int n = Math.Min(parse.GetValue(count), source.Count), side = parse.GetValue(size), q = parse.GetValue(quality);
            int outChannels = parse.GetValue(channels);
            if (outChannels is not (1 or 3)) throw new ArgumentException("--jpeg-channels must be 1 or 3.");
            var shape = new ImageShape(outChannels, side, side);
            string root = parse.GetValue(output)!;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            Parallel.For(0, n, i =>
            {
                var image = new DecodedImage(source.Shape.Width, source.Shape.Height, source.Shape.Channels, source.Image(i).ToArray()).ResizeTo(shape);
                string folder = Path.Combine(root, source.ClassNames[source.Labels[i]].Replace('/', '-'));
                Directory.CreateDirectory(folder);
                File.WriteAllBytes(Path.Combine(folder, $"{i:D6}.jpg"), ImageEncoder.EncodeJpeg(image.Pixels, shape, q));
            });
            long bytes = Directory.EnumerateFiles(root, "*.jpg", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
            terminal.Out.WriteLine($"Wrote {n:N0} JPEGs of {side}x{side}x{outChannels} (quality {q}, {bytes / 1e6:0.0} MB) from {source.Name} to {root} in {clock.Elapsed.TotalSeconds:0.0}s");
            return 0;
        });
        return command;
    }
}
