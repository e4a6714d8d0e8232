using ImageClassifier.Evaluation;
using ImageClassifier.Models;
using ImageClassifier.Tests.TestSupport;
using ImageClassifier.Training;
using static TorchSharp.torch;

namespace ImageClassifier.Tests.Training;

/// <summary>Real training on a real Fashion-MNIST subset, through the library API alone.</summary>
[Trait("Category", "Slow")] // three epochs on 10,000 images: about 15 s on 2 cores
public class FashionMnistTrainingTests
{
    [Fact]
    public void Tutorial_cnn_reaches_74_percent_on_2000_test_images_after_three_epochs_on_10000()
    {
        // Measured 77.7% and 78.7% on all 10,000 test images (seeds 1, 2); 74% leaves room for other
        // seeds and for libtorch's thread-dependent summation order.
        manual_seed(1);
        var train = FashionMnist.Train.Take(10_000);
        var test = FashionMnist.Test.Take(2_000);
        using var model = Classifier.Create("tutorial-cnn", train.Shape, train.ClassNames);
        var history = model.Fit(train, validation: null, new TrainingOptions { Epochs = 3, BatchSize = 32, Seed = 1 });
        var result = model.Evaluate(test);
        Assert.True(result.Accuracy >= 0.74, $"test accuracy {result.Accuracy:P1}");
        Assert.True(history.Values("loss")[1] < history.Values("loss")[0]);
        Assert.Equal(2_000, result.Predicted.Length);
        Assert.All(result.Probabilities, row => Assert.Equal(1.0, row.Sum(), 4));
    }
}
