using System.CommandLine;
using System.Diagnostics;
using ImageClassifier.Cli.Infrastructure;
using ImageClassifier.Data;
using ImageClassifier.Data.Loading;
using ImageClassifier.Imaging;
using ImageClassifier.Models;
using ImageClassifier.Training;

namespace ImageClassifier.Cli.Commands.Bench;

/// <summary>
/// imgclass bench loader: training throughput on the same folder of images held in memory and streamed from
/// disk (workers decoding while the model trains), and the ratio: whether the loader keeps the model fed.
/// </summary>
public static class BenchLoader
{
    static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    public static Command Create()
    {
        var folder = new Option<string>("--folder", "-f") { Description = "A folder of class subfolders of images (see bench make-jpegs).", Required = true };
        var runtime = new RuntimeOptions();
        var size = new Option<int>("--image-size") { Description = "Square size the images are decoded to.", DefaultValueFactory = _ => 28 };
        var channels = new Option<int>("--channels") { Description = "1 or 3.", DefaultValueFactory = _ => 1 };
        var model = new Option<string>("--model", "-m") { Description = "Architecture to train.", DefaultValueFactory = _ => "tutorial-cnn" };
        var rounds = new Option<int>("--rounds") { Description = "Timed rounds: one epoch in memory and one streamed each.", DefaultValueFactory = _ => 3 };
        var batchSize = new Option<int>("--batch-size", "-b") { Description = "Images per batch.", DefaultValueFactory = _ => 32 };
        var workers = new Option<int>("--workers") { Description = "Decoding threads for streaming.", DefaultValueFactory = _ => 2 };
        var cache = new Option<string?>("--cache") { Description = "Streaming cache: memory, memory:MB or disk:FOLDER (default: none, decode every epoch)." };

        var command = new Command("loader", "Compare training images/s from a folder streamed from disk with the same images in memory.");
        runtime.AddTo(command);
        foreach (var option in new Option[] { folder, size, channels, model, rounds, batchSize, workers, cache }) command.Options.Add(option);
        command.SetRun((parse, terminal) =>
        {
            var device = runtime.Apply(parse);
            var shape = new ImageShape(parse.GetValue(channels), parse.GetValue(size), parse.GetValue(size));
            string root = parse.GetValue(folder)!;
            var clock = Stopwatch.StartNew();
            var memory = ImageFolderReader.Read(root, new ImageFolderOptions(shape, Workers: parse.GetValue(workers))).Dataset;
            double readSeconds = clock.Elapsed.TotalSeconds;
            var streamed = StreamingImageFolderSource.Open(root, shape, new StreamingOptions
            {
                Workers = parse.GetValue(workers),
                Cache = parse.GetValue(cache) is string spec ? DecodedImageCache.Parse(spec) : null,
            });
            var options = new TrainingOptions { Epochs = 1, BatchSize = parse.GetValue(batchSize), Seed = parse.GetValue(runtime.Seed) };

            TorchSharp.torch.manual_seed(options.Seed);
            using var classifier = Classifier.Create(parse.GetValue(model)!, shape, memory.ClassNames).To(device);
            using var inMemory = new InMemoryBatchSource(memory);
            // Warm-up, untimed: allocations and kernel choice, and filling the cache when there is one.
            classifier.Fit(inMemory, options: options);
            if (streamed.Options.Cache is not null) classifier.Fit(streamed, options: options);

            // One epoch each way per round, alternating which goes first, so that the machine's load drifting
            // over time (it is shared) falls on both sides alike.
            var memorySeconds = new List<double>();
            var streamSeconds = new List<double>();
            double Epoch(IBatchSource source, int epoch) =>
                classifier.Fit(source, options: options with { Sampler = new ShuffleSampler(options.Seed + epoch) }).Values("seconds")[0];
            for (int round = 1; round <= parse.GetValue(rounds); round++)
            {
                if (round % 2 == 1) memorySeconds.Add(Epoch(inMemory, round));
                streamSeconds.Add(Epoch(streamed, round));
                if (round % 2 == 0) memorySeconds.Add(Epoch(inMemory, round));
            }
            // Medians: a shared machine throws the odd epoch far off either way.
            double memoryRate = memory.Count / Median(memorySeconds), streamRate = streamed.Count / Median(streamSeconds);
            // Each round's pair ran back to back, so its ratio is the fairest single comparison.
            double ratio = Median(memorySeconds.Zip(streamSeconds, (m, t) => m / t).ToList());
            var result = new
            {
                folder = root, images = memory.Count, shape = shape.ToString(), model = parse.GetValue(model), batch_size = options.BatchSize,
                torch_threads = TorchSharp.torch.get_num_threads(), workers = parse.GetValue(workers), cache = streamed.Options.Cache?.ToString(),
                read_into_memory_seconds = Math.Round(readSeconds, 1),
                memory_images_per_s = memorySeconds.Select(t => Math.Round(memory.Count / t)).ToArray(),
                streamed_images_per_s = streamSeconds.Select(t => Math.Round(streamed.Count / t)).ToArray(),
                memory_median_images_per_s = Math.Round(memoryRate), streamed_median_images_per_s = Math.Round(streamRate),
                ratio = Math.Round(ratio, 3),
                skipped = streamed.Skipped.Count,
                peak_memory_mb = Math.Round(Process.GetCurrentProcess().PeakWorkingSet64 / 1e6),
            };
            if (parse.GetValue(runtime.Json)) terminal.WriteJson(result);
            else
            {
                terminal.Out.WriteLine($"{result.model} on {result.images:N0} images of {result.shape} from {root}, batch {result.batch_size}, {result.torch_threads} torch threads, {result.workers} decode workers");
                terminal.Out.WriteLine($"in memory: {result.memory_median_images_per_s:N0} images/s (epochs: {string.Join(", ", result.memory_images_per_s)}; reading the folder took {readSeconds:0.0}s)");
                terminal.Out.WriteLine($"streamed:  {result.streamed_median_images_per_s:N0} images/s (epochs: {string.Join(", ", result.streamed_images_per_s)}){(result.cache is null ? ", no cache" : $", {result.cache}, filled in an untimed epoch")}");
                terminal.Out.WriteLine($"ratio (streamed / in memory, median of the rounds' pairs): {result.ratio:P1}; peak memory {result.peak_memory_mb:N0} MB");
            }
            return 0;
        });
        return command;
    }
}
