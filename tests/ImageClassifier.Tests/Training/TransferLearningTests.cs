using ImageClassifier.Models.Pretrained;
using ImageClassifier.Tests.TestSupport;
using ImageClassifier.Training;
using Xunit.Abstractions;

namespace ImageClassifier.Tests.Training;

/// <summary>Transfer learning on real Fashion-MNIST images with the ImageNet ResNet18.</summary>
[Trait("Category", "Slow")] // ResNet18 features of 1,500 images at 112x112, twice: about 30 s on 2 cores
public class TransferLearningTests(ITestOutputHelper output)
{
    [Fact]
    public void Frozen_imagenet_features_beat_the_same_backbone_randomly_initialised()
    {
        var train = FashionMnist.Train.Take(1000);
        var test = FashionMnist.Test.Take(500);
        var options = new TrainingOptions { Epochs = 30, BatchSize = 64, LearningRate = 1e-3 };
        var accuracy = new Dictionary<bool, double>();
        foreach (bool pretrained in new[] { true, false })
        {
            // 28x28 grayscale into a 3x112x112 model: channels repeated, images resized as they are fed.
            using var model = TransferLearning.FromPretrained("resnet18-imagenet", train.ClassNames, (112, 112), loadWeights: pretrained);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            using var trainFeatures = FeatureCache.Compute(model, train);
            using var testFeatures = FeatureCache.Compute(model, test);
            double featureSeconds = clock.Elapsed.TotalSeconds;
            var history = model.FitHead(trainFeatures, testFeatures, options);
            accuracy[pretrained] = history.Last!["val_accuracy"];
            output.WriteLine($"{(pretrained ? "ImageNet" : "random")} backbone: test accuracy {accuracy[pretrained]:P1} " +
                $"(features {trainFeatures.ImagesPerSecond:N0} images/s, {featureSeconds:0.0}s; head {clock.Elapsed.TotalSeconds - featureSeconds:0.0}s for {options.Epochs} epochs)");
        }
        Assert.True(accuracy[true] > accuracy[false] + 0.05, $"ImageNet {accuracy[true]:P1} vs random {accuracy[false]:P1}");
        Assert.True(accuracy[true] > 0.75, $"ImageNet features: {accuracy[true]:P1}");
    }
}
