using System.Diagnostics;
using ImageClassifier.Data;
using ImageClassifier.Models;
using ImageClassifier.Models.Pretrained;
using static TorchSharp.torch;

namespace ImageClassifier.Training;

/// <summary>Throughput of a pretrained backbone at one input size: cached feature extraction, and full fine-tuning steps.</summary>
public sealed record TransferSpeed(int Size, int Images, int BatchSize, double FeatureImagesPerSecond, double FineTuneImagesPerSecond);

/// <summary>
/// Measures what transfer learning costs per image: a pass of the frozen base (FeatureCache, as
/// stage 1 uses it) and a training step of the whole network (stage 2 fine-tuning from the first
/// layer: forward, backward, Adam). Each is warmed up first, untimed.
/// </summary>
public static class TransferBenchmark
{
    public static TransferSpeed Run(string pretrained, ImageDataset data, int size, int batchSize, Device device)
    {
        Engine.TorchRuntime.ReleaseFreedMemory();   // buffers an earlier run (another size) freed are no use here
        using var model = TransferLearning.FromPretrained(pretrained, data.ClassNames, (size, size));
        model.To(device);
        using (FeatureCache.Compute(model, data.Take(batchSize), batchSize)) { }
        var clock = Stopwatch.StartNew();
        using (FeatureCache.Compute(model, data, batchSize)) { }
        double features = data.Count / clock.Elapsed.TotalSeconds;
        Engine.TorchRuntime.ReleaseFreedMemory();   // inference's buffers are not training's sizes

        model.Network.SetTrainableFrom("all");
        // Two epochs: the first warms up (allocations, kernel choice), the second is timed.
        var options = new TrainingOptions { Epochs = 2, BatchSize = batchSize, LearningRate = 1e-5 };
        double fineTune;
        using (FineTuning.LighterActivations())
            fineTune = model.Fit(data, options: options).Last!["images_per_s"];
        return new TransferSpeed(size, data.Count, batchSize, features, fineTune);
    }
}
