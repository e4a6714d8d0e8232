using ImageClassifier.Models;
using ImageClassifier.Serialization;
using ImageClassifier.Training;
using static TorchSharp.torch;

namespace ImageClassifier.Tests.TestSupport;

/// <summary>
/// The tutorial CNN after three epochs on 2000 Fashion-MNIST images (about 70% on the test set; a few seconds),
/// trained once and shared by the tests that only need a model that has learned something.
/// </summary>
public static class TrainedTutorialCnn
{
    static readonly Lazy<Classifier> model = new(() =>
    {
        manual_seed(1);
        var train = FashionMnist.Train.Take(2_000);
        var classifier = Classifier.Create("tutorial-cnn", train.Shape, train.ClassNames);
        classifier.Fit(train, validation: null, new TrainingOptions { Epochs = 3, BatchSize = 32, Seed = 1 });
        return classifier;
    });

    static readonly Lazy<string> file = new(() =>
    {
        string path = Path.Combine(Path.GetTempPath(), $"imgclass-tests-tutorial-cnn-{Environment.ProcessId}.imgclass");
        model.Value.Save(path);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => System.IO.File.Delete(path);
        return path;
    });

    public static Classifier Model => model.Value;

    /// <summary>The model saved to a file (deleted when the test process exits).</summary>
    public static string File => file.Value;
}
