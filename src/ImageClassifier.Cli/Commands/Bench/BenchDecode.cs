using System.CommandLine;
using System.Diagnostics;
using ImageClassifier.Cli.Infrastructure;
using ImageClassifier.Data;
using ImageClassifier.Data.Loading;
using ImageClassifier.Imaging;
using Spectre.Console;

namespace ImageClassifier.Cli.Commands.Bench;

/// <summary>
/// imgclass bench decode: how many images per second the streaming loader decodes and resizes from a folder
/// (JPEG to 224x224 and to 32x32 by default), through the real loader: workers, batching and prefetch included,
/// with no model consuming the batches. Also reports the process's peak memory, which stays bounded however
/// large the folder (add --cache memory:MB to see a cache smaller than the dataset).
/// </summary>
public static class BenchDecode
{
    public static Command Create()
    {
        var folder = new Option<string>("--folder", "-f") { Description = "A folder of class subfolders of images (see bench make-jpegs).", Required = true };
        var sizes = new Option<string>("--sizes") { Description = "Square output sizes, comma-separated.", DefaultValueFactory = _ => "224,32" };
        var workers = new Option<int>("--workers") { Description = "Decoding threads.", DefaultValueFactory = _ => 2 };
        var channels = new Option<int>("--channels") { Description = "Channels to decode to: 1 or 3.", DefaultValueFactory = _ => 3 };
        var batchSize = new Option<int>("--batch-size", "-b") { Description = "Images per batch.", DefaultValueFactory = _ => 64 };
        var epochs = new Option<int>("--epochs") { Description = "Passes over the folder per size.", DefaultValueFactory = _ => 1 };
        var cache = new Option<string?>("--cache") { Description = "memory, memory:MB or disk:FOLDER (default: none)." };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON." };

        var command = new Command("decode", "Measure decode-and-resize throughput of the streaming loader (images/s).");
        foreach (var option in new Option[] { folder, sizes, workers, channels, batchSize, epochs, cache, json }) command.Options.Add(option);
        command.SetRun((parse, terminal) =>
        {
            var sides = parse.GetValue(sizes)!.Split(',').Select(s => int.TryParse(s, out int v) && v > 0 ? v : throw new ArgumentException($"--sizes takes whole numbers, not '{s}'.")).ToArray();
            var rows = new List<object>();
            var table = new Table().AddColumns("Size", "Workers", "Epoch", "Images", "Seconds", "Images/s", "Cache");
            foreach (int side in sides)
            {
                var options = new StreamingOptions
                {
                    Workers = parse.GetValue(workers),
                    Cache = parse.GetValue(cache) is string spec ? DecodedImageCache.Parse(spec) : null,
                };
                var source = StreamingImageFolderSource.Open(parse.GetValue(folder)!, new ImageShape(parse.GetValue(channels), side, side), options);
                for (int epoch = 1; epoch <= parse.GetValue(epochs); epoch++)
                {
                    var clock = Stopwatch.StartNew();
                    int images = 0;
                    foreach (var batch in source.Batches(parse.GetValue(batchSize), new ShuffleSampler(42), epoch))
                        using (batch) images += batch.Size;
                    double seconds = clock.Elapsed.TotalSeconds;
                    string cached = options.Cache is null ? "-" : $"{options.Cache.Hits:N0} hits, {options.Cache.StoredBytes / 1e6:0} MB";
                    rows.Add(new { size = side, workers = options.WorkerCount, epoch, images, seconds = Math.Round(seconds, 2), images_per_s = Math.Round(images / seconds), cache = cached });
                    table.AddRow($"{side}x{side}", options.WorkerCount.ToString(), epoch.ToString(), $"{images:N0}", $"{seconds:0.00}", $"{images / seconds:N0}", Markup.Escape(cached));
                }
            }
            double peak = Math.Round(Process.GetCurrentProcess().PeakWorkingSet64 / 1e6);
            if (parse.GetValue(json)) terminal.WriteJson(new { folder = parse.GetValue(folder), results = rows, peak_memory_mb = peak });
            else
            {
                terminal.Render(table);
                terminal.Out.WriteLine($"peak memory: {peak:N0} MB");
            }
            return 0;
        });
        return command;
    }
}
