using System.CommandLine;
using ImageClassifier.Cli.Infrastructure;
using ImageClassifier.Data;
using ImageClassifier.Imaging;
using ImageClassifier.Imaging.Augmentation;

namespace ImageClassifier.Cli.Commands;

/// <summary>imgclass augment IMAGE --preview: a grid of augmented versions of one image, written as one PNG.</summary>
public static class AugmentCommand
{
    public const string DefaultSpec = "flip,rotate=0.1,zoom=0.1,contrast=0.1";
    const int LongestSide = 256; // larger images are shrunk for the preview, so a 16-image grid stays viewable

    public static Command Create()
    {
        var image = new Argument<string>("image") { Description = "The image file to augment." };
        var preview = new Option<bool>("--preview") { Description = "Write a grid of augmented versions of the image as a PNG." };
        var spec = new Option<string>("--augment", "-a") { Description = $"The augmentation (default {DefaultSpec}). " + AugmentationSpec.Help, DefaultValueFactory = _ => DefaultSpec };
        var count = new Option<int>("--count", "-n") { Description = "How many augmented versions.", DefaultValueFactory = _ => 16 };
        var output = new Option<string?>("--output", "-o") { Description = "The PNG to write (default IMAGE-augmented.png in the current folder)." };
        var size = new Option<string?>("--image-size") { Description = "Resize the image first, as training would (e.g. 64 or 64x48)." };
        var channels = new Option<int?>("--channels") { Description = "1 (grayscale) or 3 (RGB); default: the image's own." };
        var seed = new Option<int>("--seed") { Description = "Random seed for the augmentations.", DefaultValueFactory = _ => 42 };

        var command = new Command("augment", "Show what an augmentation does to an image: imgclass augment IMAGE --preview.") { image };
        foreach (var option in new Option[] { preview, spec, count, output, size, channels, seed }) command.Options.Add(option);
        command.SetRun((parse, terminal) =>
        {
            if (!parse.GetValue(preview)) throw new ArgumentException("augment writes previews only: add --preview.");
            int n = parse.GetValue(count);
            if (n is < 1 or > 256) throw new ArgumentException($"--count must be 1 to 256, not {n}.");
            string path = parse.GetValue(image)!;
            var pipeline = AugmentationSpec.Parse(parse.GetValue(spec)!);
            var picture = Fit(ImageDecoder.DecodeFileNative(path, parse.GetValue(channels)), parse.GetValue(size));

            var versions = AugmentationPreview.Make(picture, pipeline, n, parse.GetValue(seed));
            int columns = (int)Math.Ceiling(Math.Sqrt(n));
            string target = parse.GetValue(output) ?? Path.GetFileNameWithoutExtension(path) + "-augmented.png";
            if (Path.GetDirectoryName(Path.GetFullPath(target)) is { } folder) Directory.CreateDirectory(folder);
            IO.AtomicFile.WriteAllBytes(target, ImageGrid.EncodePng(versions, picture.Shape, columns));
            terminal.Out.WriteLine($"Wrote {target}: {n} versions of {path} ({picture.Width}x{picture.Height}) in a grid of {columns} columns, augmented by: {pipeline}");
            return 0;
        });
        return command;
    }

    static DecodedImage Fit(DecodedImage image, string? size)
    {
        if (size is not null)
        {
            var parts = size.ToLowerInvariant().Split('x');
            if (parts.Length > 2 || !parts.All(p => int.TryParse(p, out int v) && v is > 0 and <= 4096))
                throw new ArgumentException($"--image-size must be like 64 or 64x48 (height x width, 1..4096), not '{size}'.");
            return image.ResizeTo(new ImageShape(image.Channels, int.Parse(parts[0]), int.Parse(parts[^1])));
        }
        int longest = Math.Max(image.Width, image.Height);
        if (longest <= LongestSide) return image;
        double scale = (double)LongestSide / longest;
        return image.ResizeTo(new ImageShape(image.Channels, Math.Max(1, (int)Math.Round(image.Height * scale)), Math.Max(1, (int)Math.Round(image.Width * scale))));
    }
}
