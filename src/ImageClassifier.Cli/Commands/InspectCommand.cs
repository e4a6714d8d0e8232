using System.CommandLine;
using System.Globalization;
using ImageClassifier.Cli.Infrastructure;
using ImageClassifier.Imaging;
using Spectre.Console;

namespace ImageClassifier.Cli.Commands;

/// <summary>imgclass inspect: an image's size, channels and value statistics, and PNG views of its channels and colour spaces.</summary>
public static class InspectCommand
{
    public static Command Create()
    {
        var image = new Argument<string>("image") { Description = "The image file: " + ImageFormats.SupportedList + ", recognised by content." };
        var output = new Option<string>("--output", "-o")
        {
            // The current folder rather than beside the image: inspecting a dataset's image must not add files to the dataset.
            Description = "Folder for the views (image, red/green/blue, gray, hsv-h/s/v, hsv, lab-l/a/b, lab as PNG). Default: <image name>-inspect in the current folder.",
        };
        var json = new Option<bool>("--json") { Description = "Print the statistics and the written files as JSON." };

        var command = new Command("inspect", "Show an image's size, channels, pixel type, min, max and per-channel mean and std; write its channels, grayscale, HSV and Lab views (OpenCV's 8-bit conventions).")
        {
            image, output, json,
        };
        command.SetRun((parse, terminal) =>
        {
            string path = parse.GetValue(image)!;
            string folder = parse.GetValue(output) ?? Path.GetFileNameWithoutExtension(path) + "-inspect";
            var inspection = ImageInspection.Inspect(path, folder);
            if (parse.GetValue(json)) WriteJson(inspection, terminal);
            else WriteText(inspection, terminal);
            return 0;
        });
        return command;
    }

    static void WriteText(Inspection inspection, Terminal terminal)
    {
        var s = inspection.Stats;
        var o = terminal.Out;
        o.WriteLine($"file:      {inspection.Source}");
        o.WriteLine($"format:    {s.Format.DisplayName()}");
        o.WriteLine($"height:    {inspection.FileHeight}");
        o.WriteLine($"width:     {inspection.FileWidth}");
        if (inspection.Reduced)
            o.WriteLine($"inspected: {s.Width} x {s.Height} (shrunk to fit {ImageClassifier.IO.InputLimits.MaxViewPixels / 1_000_000} megapixels: the statistics and views are of this size)");
        o.WriteLine($"channels:  {s.Channels}");
        o.WriteLine($"pixel:     {s.PixelType}");
        o.WriteLine($"min:       {s.Min}");
        o.WriteLine($"max:       {s.Max}");
        var table = new Table().AddColumns("Channel", "Min", "Max", "Mean", "Std");
        foreach (var c in s.PerChannel)
            table.AddRow(c.Name, c.Min.ToString(CultureInfo.InvariantCulture), c.Max.ToString(CultureInfo.InvariantCulture), Number(c.Mean), Number(c.Std));
        terminal.Render(table);
        o.WriteLine($"Wrote {inspection.Views.Count} views:");
        foreach (var view in inspection.Views) o.WriteLine($"  {view.Path}  ({view.Description})");
    }

    static void WriteJson(Inspection inspection, Terminal terminal)
    {
        var s = inspection.Stats;
        terminal.WriteJson(new
        {
            file = inspection.Source, format = s.Format.DisplayName(), height = inspection.FileHeight, width = inspection.FileWidth,
            inspected_height = s.Height, inspected_width = s.Width, channels = s.Channels,
            pixel_type = s.PixelType, min = s.Min, max = s.Max,
            per_channel = s.PerChannel.Select(c => new { channel = c.Name, min = c.Min, max = c.Max, mean = c.Mean, std = c.Std }),
            views = inspection.Views.Select(v => new { name = v.Name, path = v.Path, description = v.Description }),
        });
    }

    static string Number(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);
}
