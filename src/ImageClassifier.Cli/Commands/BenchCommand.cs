using System.CommandLine;
using System.Diagnostics;
using ImageClassifier.Cli.Infrastructure;
using ImageClassifier.Models;
using ImageClassifier.Training;

namespace ImageClassifier.Cli.Commands;

/// <summary>
/// imgclass bench: training and inference throughput of a model on a dataset (by default the
/// tutorial CNN on Fashion-MNIST, batch 128), measured through the library's own training loop.
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

        var command = new Command("bench", "Measure training and inference images/s (subcommands: decode, loader, make-jpegs, imbalance).")
        {
            Bench.BenchDecode.Create(),
            Bench.BenchLoader.Create(),
            Bench.BenchMakeJpegs.Create(),
            Bench.BenchImbalance.Create(),
        };
        data.AddTo(command);
        runtime.AddTo(command);
        command.Options.Add(model);
        command.Options.Add(batchSize);
        command.Options.Add(epochs);
        command.SetRun((parse, terminal) =>
        {
            var device = runtime.Apply(parse);
            var splits = data.Load(parse, terminal, parse.GetValue(data.Data!) ?? "fashion-mnist");
            int batch = parse.GetValue(batchSize);
            var train = splits.Train;
            var test = splits.Test ?? train;
            using var classifier = Classifier.Create(parse.GetValue(model)!, train.Shape, train.ClassNames).To(device);

            // Warm up (first-call allocations, oneDNN kernel selection) on a few batches, untimed.
            classifier.Fit(train.Take(batch * 10), options: new TrainingOptions { Epochs = 1, BatchSize = batch });
            var history = classifier.Fit(train, options: new TrainingOptions { Epochs = parse.GetValue(epochs), BatchSize = batch });
            double trainRate = history.Values("images_per_s").Max();

            classifier.Logits(test.Take(batch * 4), batch).Dispose();
            var clock = Stopwatch.StartNew();
            classifier.Logits(test, batch).Dispose();
            double inferRate = test.Count / clock.Elapsed.TotalSeconds;

            var result = new
            {
                model = classifier.Spec.Architecture, dataset = train.Name, batch_size = batch,
                threads = TorchSharp.torch.get_num_threads(), device = device.ToString(),
                train_images = train.Count, train_images_per_s = Math.Round(trainRate), infer_images = test.Count,
                infer_images_per_s = Math.Round(inferRate), final_train_accuracy = history.Last!["accuracy"],
                peak_memory_mb = Math.Round(Process.GetCurrentProcess().PeakWorkingSet64 / 1e6),
            };
            if (parse.GetValue(runtime.Json)) terminal.WriteJson(result);
            else
            {
                terminal.Out.WriteLine($"{result.model} on {result.dataset}, batch {batch}, {result.threads} threads, {result.device}");
                terminal.Out.WriteLine($"train: {result.train_images_per_s:N0} images/s ({result.train_images:N0} images)");
                terminal.Out.WriteLine($"infer: {result.infer_images_per_s:N0} images/s ({result.infer_images:N0} images)");
                terminal.Out.WriteLine($"peak memory: {result.peak_memory_mb:N0} MB");
            }
            return 0;
        });
        return command;
    }
}
