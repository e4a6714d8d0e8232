using System.CommandLine;
using System.Diagnostics;
using ImageClassifier.Cli.Infrastructure;
using ImageClassifier.Data;
using ImageClassifier.Data.Loading;
using ImageClassifier.Models;
using ImageClassifier.Training;

namespace ImageClassifier.Cli.Commands.Bench;

/// <summary>
/// imgclass bench loader: training throughput on the same folder of images held in memory and streamed from
/// disk (workers decoding while the model trains), and the ratio: whether the loader keeps the model fed.
/// </summary>
public static class BenchLoader
{
    public static Command Create()
    {
        var folder = new Option<string>("--folder", "-f") { Description = "A folder of class subfolders of images (see bench make-jpegs).", Required = true };
        var runtime = new RuntimeOptions();
        var size = new Option<int>("--image-size") { Description = "Square size the images are decoded to.", DefaultValueFactory = _ => 28 };
        var channels = new Option<int>("--channels") { Description = "1 or 3.", DefaultValueFactory = _ => 1 };
        var model = new Option<string>("--model", "-m") { Description = "Architecture to train.", DefaultValueFactory = _ => "tutorial-cnn" };
        var epochs = new Option<int>("--epochs") { Description = "Timed epochs each way.", DefaultValueFactory = _ => 2 };
        var batchSize = new Option<int>("--batch-size", "-b") { Description = "Images per batch.", DefaultValueFactory = _ => 32 };
        var workers = new Option<int>("--workers") { Description = "Decoding threads for streaming.", DefaultValueFactory = _ => 2 };
        var cache = new Option<string?>("--cache") { Description = "Streaming cache: memory, memory:MB or disk:FOLDER (default: none, decode every epoch)." };

        var command = new Command("loader", "Compare training images/s from a folder streamed from disk with the same images in memory.");
        runtime.AddTo(command);
        foreach (var option in new Option[] { folder, size, channels, model, epochs, batchSize, workers, cache }) command.Options.Add(option);
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
            var options = new TrainingOptions { Epochs = parse.GetValue(epochs), BatchSize = parse.GetValue(batchSize), Seed = parse.GetValue(runtime.Seed) };

            double[] Rates(IBatchSource source)
            {
                TorchSharp.torch.manual_seed(options.Seed);
                using var classifier = Classifier.Create(parse.GetValue(model)!, shape, source.ClassNames).To(device);
                // Warm-up (allocations, kernel choice) on a few in-memory batches, untimed, so that neither side pays it.
                classifier.Fit(memory.Take(options.BatchSize * 10), options: options with { Epochs = 1 });
                return classifier.Fit(source, options: options).Values("images_per_s");
            }
            using var inMemory = new InMemoryBatchSource(memory);
            var memoryRates = Rates(inMemory);
            var streamRates = Rates(streamed);
            double memoryRate = memoryRates.Average(), streamRate = streamRates.Average();
            var result = new
            {
                folder = root, images = memory.Count, shape = shape.ToString(), model = parse.GetValue(model), batch_size = options.BatchSize,
                torch_threads = TorchSharp.torch.get_num_threads(), workers = parse.GetValue(workers), cache = streamed.Options.Cache?.ToString(),
                read_into_memory_seconds = Math.Round(readSeconds, 1),
                memory_images_per_s = memoryRates.Select(r => Math.Round(r)).ToArray(), streamed_images_per_s = streamRates.Select(r => Math.Round(r)).ToArray(),
                ratio = Math.Round(streamRate / memoryRate, 3),
                peak_memory_mb = Math.Round(Process.GetCurrentProcess().PeakWorkingSet64 / 1e6),
            };
            if (parse.GetValue(runtime.Json)) terminal.WriteJson(result);
            else
            {
                terminal.Out.WriteLine($"{result.model} on {result.images:N0} images of {result.shape} from {root}, batch {result.batch_size}, {result.torch_threads} torch threads, {result.workers} decode workers");
                terminal.Out.WriteLine($"in memory: {string.Join(", ", result.memory_images_per_s)} images/s per epoch (reading the folder took {readSeconds:0.0}s)");
                terminal.Out.WriteLine($"streamed:  {string.Join(", ", result.streamed_images_per_s)} images/s per epoch{(result.cache is null ? ", no cache" : $", {result.cache}")}");
                terminal.Out.WriteLine($"ratio (streamed / in memory, mean of epochs): {result.ratio:P1}");
            }
            return 0;
        });
        return command;
    }
}
