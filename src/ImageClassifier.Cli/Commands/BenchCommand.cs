using System.CommandLine;
using System.Diagnostics;
using ImageClassifier.Cli.Infrastructure;
using ImageClassifier.Data.Loading;
using ImageClassifier.Engine;
using ImageClassifier.Evaluation;
using ImageClassifier.Models;
using ImageClassifier.Recipes;
using ImageClassifier.Training;

namespace ImageClassifier.Cli.Commands;

/// <summary>
/// imgclass bench: training and inference throughput of a model on a dataset (by default the
/// tutorial CNN on Fashion-MNIST, batch 128), measured through the library's own training loop.
/// With --pretrained NAME: feature extraction and fine-tuning-step images/s of that backbone at
/// each of --sizes (224 and 112 by default) on the first --images images.
/// </summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var data = new DataOptions("The dataset (default fashion-mnist).");
        var runtime = new RuntimeOptions();
        var model = new Option<string>("--model", "-m") { Description = "Architecture to time.", DefaultValueFactory = _ => "tutorial-cnn" };
        var batchSize = new Option<int>("--batch-size", "-b") { Description = "Batch size for training and inference.", DefaultValueFactory = _ => 128 };
        var epochs = new Option<int>("--epochs") { Description = "Timed training epochs (the figure is the best epoch).", DefaultValueFactory = _ => 1 };
        var pretrained = new Option<string?>("--pretrained") { Description = "Time transfer learning with this pretrained backbone instead: feature extraction and fine-tuning steps." };
        var sizes = new Option<string>("--sizes") { Description = "With --pretrained: input sizes to time, comma-separated.", DefaultValueFactory = _ => "224,112" };
        var precision = PrecisionOption.Create(null);
        var profile = new Option<bool>("--profile") { Description = "Also time each layer's forward and backward pass on a real batch (milliseconds per batch): where a training step's time goes." };
        var images = new Option<int>("--images") { Description = "With --pretrained: images timed at each size.", DefaultValueFactory = _ => 128 };

        var command = new Command("bench", "Measure training and inference images/s (subcommands: decode, loader, make-jpegs, imbalance, serve, audit).")
        {
            Bench.BenchDecode.Create(),
            Bench.BenchLoader.Create(),
            Bench.BenchMakeJpegs.Create(),
            Bench.BenchImbalance.Create(),
            Bench.BenchServe.Create(),
            Bench.BenchAudit.Create(),
        };
        data.AddTo(command);
        runtime.AddTo(command);
        command.Options.Add(model);
        command.Options.Add(batchSize);
        command.Options.Add(epochs);
        command.Options.Add(pretrained);
        command.Options.Add(sizes);
        command.Options.Add(images);
        command.Options.Add(precision);
        command.Options.Add(profile);
        command.SetRun((parse, terminal) =>
        {
            var device = runtime.Apply(parse);
            string dataset = parse.GetValue(data.Data!) ?? "fashion-mnist";
            int batch = parse.GetValue(batchSize);
            using var scope = ComputePrecision.Use(parse.GetValue(precision) ?? TrainingRecipe.DefaultPrecision(pretrained: parse.GetValue(pretrained) is not null));
            if (parse.GetValue(pretrained) is string name)
                return BenchTransfer(parse, terminal, name, SpreadImages(data, parse, terminal, dataset, parse.GetValue(images)), ParseSizes(parse.GetValue(sizes)!),
                    parse.GetResult(batchSize) is { Implicit: false } ? batch : 32, device, parse.GetValue(runtime.Json));
            var splits = data.Load(parse, terminal, dataset);
            var train = splits.Train;
            var test = splits.Test ?? train;
            // train's recipe and training loop, without callbacks or validation: the figure is the loop's own speed.
            var recipe = new TrainingRecipe { Model = parse.GetValue(model)!, BatchSize = batch, Epochs = parse.GetValue(epochs), Seed = parse.GetValue(runtime.Seed), Device = device };
            using var trainingData = TrainingData.FromDataset(train, test, validationFraction: 0, recipe.Seed);
            using var classifier = recipe.CreateModel(trainingData);
            var options = recipe.OptionsFor(train.Labels, train.ClassCount, TextWriter.Null);

            // Warm up (first-call allocations, oneDNN kernel selection) on a few batches, untimed.
            classifier.Fit(train.Take(batch * 10), options: options with { Epochs = 1 });
            var memory = new MemoryProbe();
            var history = classifier.Fit(train, options: options, callbacks: memory);
            double trainRate = history.Values("images_per_s").Max();

            classifier.Logits(test.Take(batch * 4), batch).Dispose();
            var clock = Stopwatch.StartNew();
            classifier.Logits(test, batch).Dispose();
            double inferRate = test.Count / clock.Elapsed.TotalSeconds;

            var layers = parse.GetValue(profile) ? ProfileLayers(classifier, train, batch) : null;

            // GFLOP/s from the model's counted operations, and as a share of a large matrix multiply's on this machine.
            double ceiling = ComputeCeiling.MatrixMultiplyGflops(device: device);
            double trainGflops = trainRate * ModelCost.TrainingFlops(classifier) / 1e9, inferGflops = inferRate * ModelCost.ForwardFlops(classifier) / 1e9;
            var result = new
            {
                model = classifier.Spec.Architecture, dataset = train.Name, batch_size = batch,
                threads = TorchSharp.torch.get_num_threads(), device = device.ToString(),
                precision = ComputePrecision.Current,
                train_images = train.Count, train_images_per_s = Math.Round(trainRate), infer_images = test.Count,
                infer_images_per_s = Math.Round(inferRate), final_train_accuracy = history.Last!["accuracy"],
                forward_mflops_per_image = Math.Round(ModelCost.ForwardFlops(classifier) / 1e6, 2), matmul_gflops = Math.Round(ceiling, 1),
                train_gflops = Math.Round(trainGflops, 2), train_share_of_matmul = Math.Round(trainGflops / ceiling, 4),
                infer_gflops = Math.Round(inferGflops, 2), infer_share_of_matmul = Math.Round(inferGflops / ceiling, 4),
                peak_memory_mb = Math.Round(Process.GetCurrentProcess().PeakWorkingSet64 / 1e6),
                resident_mb_per_epoch = memory.ResidentMegabytes,
                layers = layers?.Select(l => new { layer = l.Layer, forward_ms = Math.Round(l.ForwardMilliseconds, 2), backward_ms = Math.Round(l.BackwardMilliseconds, 2) }),
            };
            if (parse.GetValue(runtime.Json)) terminal.WriteJson(result);
            else
            {
                terminal.Out.WriteLine($"{result.model} on {result.dataset}, batch {batch}, {result.threads} threads, {result.device}, {result.precision}");
                terminal.Out.WriteLine($"ceiling: {result.matmul_gflops:N1} GFLOP/s (float32 2048x2048 matrix multiply); the model: {result.forward_mflops_per_image:N2} MFLOP per image forward, 3x that to train");
                terminal.Out.WriteLine($"train: {result.train_images_per_s:N0} images/s ({result.train_images:N0} images), {result.train_gflops:N1} GFLOP/s = {result.train_share_of_matmul:P1} of the ceiling");
                terminal.Out.WriteLine($"infer: {result.infer_images_per_s:N0} images/s ({result.infer_images:N0} images), {result.infer_gflops:N1} GFLOP/s = {result.infer_share_of_matmul:P1} of the ceiling");
                terminal.Out.WriteLine($"peak memory: {result.peak_memory_mb:N0} MB; resident after each epoch: {string.Join(", ", memory.ResidentMegabytes)} MB");
                if (layers is not null) WriteProfile(terminal, layers, batch);
            }
            return 0;
        });
        return command;
    }

    // Each layer alone on a batch of real training images, prepared as the model takes them.
    static IReadOnlyList<LayerTime> ProfileLayers(Classifier classifier, ImageClassifier.Data.ImageDataset train, int batch)
    {
        var images = train.Take(Math.Min(batch, train.Count));
        using var bytes = TorchSharp.torch.tensor(images.Pixels, [images.Count, images.Shape.Channels, images.Shape.Height, images.Shape.Width]);
        using var input = classifier.Input(bytes);
        return LayerProfiler.Profile(classifier.Network, input);
    }

    static void WriteProfile(Terminal terminal, IReadOnlyList<LayerTime> layers, int batch)
    {
        terminal.Out.WriteLine($"per layer, median ms per batch of {batch} (forward + backward, each layer alone):");
        foreach (var l in layers)
            terminal.Out.WriteLine($"  {l.Layer,-24} {l.ForwardMilliseconds,8:N2} + {l.BackwardMilliseconds,8:N2}");
        terminal.Out.WriteLine($"  {"all layers",-24} {layers.Sum(l => l.ForwardMilliseconds),8:N2} + {layers.Sum(l => l.BackwardMilliseconds),8:N2}");
    }

    static int BenchTransfer(ParseResult parse, Terminal terminal, string name, ImageClassifier.Data.ImageDataset data, int[] sizes, int batch,
        TorchSharp.torch.Device device, bool json)
    {
        var result = new Dictionary<string, object>
        {
            ["pretrained"] = name, ["dataset"] = data.Name, ["images"] = data.Count, ["batch_size"] = batch,
            ["threads"] = TorchSharp.torch.get_num_threads(), ["device"] = device.ToString(),
            ["precision"] = ComputePrecision.Current,
        };
        foreach (int size in sizes)
        {
            if (!json) terminal.Out.WriteLine($"{name} at {size}x{size}, {data.Count} images of {data.Name}, batch {batch}...");
            var speed = TransferBenchmark.Run(name, data, size, batch, device);
            result[$"features_{size}_images_per_s"] = Math.Round(speed.FeatureImagesPerSecond, 1);
            result[$"finetune_{size}_images_per_s"] = Math.Round(speed.FineTuneImagesPerSecond, 1);
            if (!json)
            {
                terminal.Out.WriteLine($"features {size}: {speed.FeatureImagesPerSecond:N1} images/s");
                terminal.Out.WriteLine($"fine-tune {size}: {speed.FineTuneImagesPerSecond:N1} images/s");
            }
        }
        result["peak_memory_mb"] = Math.Round(Process.GetCurrentProcess().PeakWorkingSet64 / 1e6);
        if (json) terminal.WriteJson(result);
        else terminal.Out.WriteLine($"peak memory: {result["peak_memory_mb"]:N0} MB");
        return 0;
    }

    // Only the chosen images outlive this call: the whole dataset (55 MB for Fashion-MNIST) would add to the peak memory reported.
    static ImageClassifier.Data.ImageDataset SpreadImages(DataOptions data, ParseResult parse, Terminal terminal, string dataset, int count) =>
        Spread(data.Load(parse, terminal, dataset).Train, count);

    // Evenly spaced images rather than the first ones: folders are read class by class, and training needs two classes.
    static ImageClassifier.Data.ImageDataset Spread(ImageClassifier.Data.ImageDataset data, int count)
    {
        if (count < 2) throw new ArgumentException($"--images must be at least 2, not {count}.");
        return count >= data.Count ? data : data.Subset([.. Enumerable.Range(0, count).Select(i => (int)((long)i * data.Count / count))]);
    }

    static int[] ParseSizes(string text)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0 || !parts.All(p => int.TryParse(p, out int v) && v is >= 16 and <= 1024))
            throw new ArgumentException($"--sizes must be sizes from 16 to 1024 separated by commas, e.g. 224,112, not '{text}'.");
        return [.. parts.Select(int.Parse)];
    }

    /// <summary>Resident memory after each epoch: flat when native tensors are disposed batch by batch.</summary>
    sealed class MemoryProbe : ImageClassifier.Training.Callbacks.Callback
    {
        public List<double> ResidentMegabytes { get; } = [];

        public override void OnEpochEnd(ImageClassifier.Training.Callbacks.TrainingContext context, int epoch, IReadOnlyDictionary<string, double> logs)
        {
            using var process = Process.GetCurrentProcess();
            ResidentMegabytes.Add(Math.Round(process.WorkingSet64 / 1e6));
        }
    }
}
