using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using ImageClassifier.Data;
using ImageClassifier.Imaging;
using ImageClassifier.Tests.TestSupport;
using SkiaSharp;

namespace ImageClassifier.Tests.Cli;

/// <summary>imgclass inspect on real PNG files, and on files that are not images.</summary>
public class InspectCommandTests
{
    private static readonly string[] ColourViews = ["image", "red", "green", "blue", "gray", "hsv-h", "hsv-s", "hsv-v", "hsv", "lab-l", "lab-a", "lab-b", "lab"];

    // 4 wide, 2 high: left half red (255, 0, 0), right half azure (0, 128, 255). Per channel, half the pixels
    // each: red 255 and 0 (mean 127.5, std 127.5), green 0 and 128 (64, 64), blue 0 and 255 (127.5, 127.5).
    private static string RedAzurePng(TempDirectory dir)
    {
        using var bitmap = TestImages.LeftRight(4, 2, new SKColor(255, 0, 0), new SKColor(0, 128, 255));
        return TestImages.Write(dir.File("in/red-azure.png"), TestImages.Png(bitmap));
    }

    /// <summary>The numbers in the table row that starts with <paramref name="channel"/>.</summary>
    private static double[] Row(string output, string channel)
    {
        var line = output.Split('\n').Single(l => Regex.IsMatch(l, $@"^\W*{channel}\b"));
        return Regex.Matches(line, @"\d+(\.\d+)?").Select(m => double.Parse(m.Value, CultureInfo.InvariantCulture)).ToArray();
    }

    [Fact]
    public void Prints_the_statistics_of_a_known_image_and_writes_every_view()
    {
        using var dir = new TempDirectory();
        string image = RedAzurePng(dir), output = dir.File("views");

        var result = CliRunner.Run("inspect", image, "--output", output);

        Assert.True(result.ExitCode == 0, result.Error);
        foreach (var expected in new[] { "format:    PNG", "height:    2", "width:     4", "channels:  3", "pixel:     uint8", "min:       0", "max:       255" })
            Assert.Contains(expected, result.Out);
        Assert.Equal([0, 255, 127.5, 127.5], Row(result.Out, "red"));
        Assert.Equal([0, 128, 64, 64], Row(result.Out, "green"));
        Assert.Equal([0, 255, 127.5, 127.5], Row(result.Out, "blue"));
        Assert.Contains("Wrote 13 views", result.Out);

        foreach (string view in ColourViews)
        {
            string path = Path.Combine(output, view + ".png");
            Assert.Contains(path, result.Out);
            var decoded = ImageDecoder.DecodeFileNative(path);
            Assert.Equal(new ImageShape(view is "image" or "hsv" or "lab" ? 3 : 1, 2, 4), decoded.Shape);
        }
        // Spot checks, left (red) and right (azure) pixels. Gray: 0.299·255 = 76.2; 0.587·128 + 0.114·255 = 104.2.
        // Hue of azure: V = B, 240 + 60·(0 - 128)/255 = 209.9 degrees, stored as 105. Red's L* 53.24 x 2.55 = 136.
        Assert.Equal<byte>([76, 76, 104, 104], Plane(output, "gray")[..4]);
        Assert.Equal<byte>([0, 0, 105, 105], Plane(output, "hsv-h")[..4]);
        Assert.Equal<byte>([255, 255, 255, 255], Plane(output, "hsv-s")[..4]);
        Assert.Equal(136, Plane(output, "lab-l")[0]);
        Assert.Equal<byte>([0, 0, 128, 128], Plane(output, "green")[..4]);
    }

    private static byte[] Plane(string folder, string view) => ImageDecoder.DecodeFileNative(Path.Combine(folder, view + ".png")).Pixels;

    [Fact]
    public void Json_gives_the_statistics_and_the_written_files()
    {
        using var dir = new TempDirectory();
        string image = RedAzurePng(dir), output = dir.File("out");

        var result = CliRunner.Run("inspect", image, "--output", output, "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.Out);
        var root = json.RootElement;
        Assert.Equal("PNG", root.GetProperty("format").GetString());
        Assert.Equal(2, root.GetProperty("height").GetInt32());
        Assert.Equal(4, root.GetProperty("width").GetInt32());
        Assert.Equal(3, root.GetProperty("channels").GetInt32());
        Assert.Equal("uint8", root.GetProperty("pixel_type").GetString());
        Assert.Equal(0, root.GetProperty("min").GetInt32());
        Assert.Equal(255, root.GetProperty("max").GetInt32());
        var channels = root.GetProperty("per_channel").EnumerateArray().ToArray();
        Assert.Equal(["red", "green", "blue"], channels.Select(c => c.GetProperty("channel").GetString()));
        Assert.Equal([127.5, 64, 127.5], channels.Select(c => c.GetProperty("mean").GetDouble()));
        Assert.Equal([127.5, 64, 127.5], channels.Select(c => c.GetProperty("std").GetDouble()));
        var views = root.GetProperty("views").EnumerateArray().ToArray();
        Assert.Equal(ColourViews, views.Select(v => v.GetProperty("name").GetString()));
        Assert.All(views, v => Assert.True(File.Exists(v.GetProperty("path").GetString())));
    }

    [Fact]
    public void A_gray_image_has_one_channel_and_no_channel_views()
    {
        using var dir = new TempDirectory();
        var shape = new ImageShape(1, 3, 5);
        string image = dir.File("gray.png");
        ImageEncoder.WritePng(image, Enumerable.Range(0, 15).Select(i => (byte)(i * 10)).ToArray(), shape); // 0..140

        var result = CliRunner.Run("inspect", image, "--output", dir.File("out"), "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.Out);
        Assert.Equal(1, json.RootElement.GetProperty("channels").GetInt32());
        var gray = json.RootElement.GetProperty("per_channel").EnumerateArray().Single();
        Assert.Equal("gray", gray.GetProperty("channel").GetString());
        Assert.Equal(70, gray.GetProperty("mean").GetDouble(), 9);
        Assert.Equal(140, gray.GetProperty("max").GetInt32());
        var names = json.RootElement.GetProperty("views").EnumerateArray().Select(v => v.GetProperty("name").GetString()).ToArray();
        Assert.Equal(ColourViews.Except(["red", "green", "blue"]), names);
        // Grays have no hue or saturation; gray.png is the image itself.
        Assert.All(Plane(dir.File("out"), "hsv-s"), v => Assert.Equal(0, v));
        Assert.Equal(Plane(dir.File("out"), "image"), Plane(dir.File("out"), "gray"));
    }

    [Fact]
    public void Writes_to_image_name_inspect_in_the_current_folder_by_default()
    {
        using var dir = new TempDirectory();
        string image = RedAzurePng(dir), previous = Environment.CurrentDirectory;
        try
        {
            Environment.CurrentDirectory = dir.Path;
            var result = CliRunner.Run("inspect", image);
            Assert.True(result.ExitCode == 0, result.Error);
        }
        finally
        {
            Environment.CurrentDirectory = previous;
        }
        Assert.True(File.Exists(dir.File("red-azure-inspect/lab.png")));
    }

    [Theory]
    [InlineData("notes.png", "hello, this is text", "not an image")]
    [InlineData("scan.tif", "II*\0 a TIFF header, padded", "not an image")] // TIFF is not supported
    [InlineData("empty.jpg", "", "empty file")]
    public void Files_that_are_not_supported_images_give_a_clear_error(string name, string content, string reason)
    {
        using var dir = new TempDirectory();
        string path = TestImages.Write(dir.File(name), System.Text.Encoding.ASCII.GetBytes(content));

        var result = CliRunner.Run("inspect", path, "--output", dir.File("out"));

        Assert.Equal(1, result.ExitCode);
        var error = Assert.Single(result.Error.Trim().Split('\n'));
        Assert.StartsWith($"error: {path}: {reason}", error);
        if (reason == "not an image") Assert.Contains(ImageFormats.SupportedList, error);
        Assert.Equal("", result.Out);
        Assert.False(Directory.Exists(dir.File("out"))); // nothing written for a bad input
    }

    [Fact]
    public void A_missing_file_gives_a_clear_error()
    {
        using var dir = new TempDirectory();
        string path = dir.File("no-such-image.png");

        var result = CliRunner.Run("inspect", path, "--output", dir.File("out"));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: {path}: file not found", result.Error.Trim());
    }

    [Fact]
    public void A_folder_gives_a_clear_error()
    {
        using var dir = new TempDirectory();

        var result = CliRunner.Run("inspect", dir.Path, "--output", dir.File("out"));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: {dir.Path}: is a folder where an image file was expected", result.Error.Trim());
    }
}
