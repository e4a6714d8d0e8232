using ImageClassifier.Imaging;
using TorchSharp;
using static TorchSharp.torch;

namespace ImageClassifier.Models;

/// <summary>What training did, kept in the model file.</summary>
public sealed record TrainingSummary(
    string Dataset, int TrainImages, int ValidationImages, int Epochs, int BestEpoch,
    string Optimizer, double LearningRate, int BatchSize, int Seed, double Seconds,
    Dictionary<string, double> FinalMetrics, double? TestAccuracy = null, double? TestLoss = null);

/// <summary>
/// A trained (or trainable) image classifier: the network, its class names and the preprocessing
/// its inputs need. Training, evaluation and saving are extension methods in their own areas
/// (Training, Evaluation, Serialization), so this type stays the plain unit that they share.
/// </summary>
public sealed class Classifier : IImageClassifier
{
    public Classifier(ModelSpec spec, IReadOnlyList<string> classNames, Preprocessing? preprocessing = null)
    {
        if (classNames.Count != spec.ClassCount)
            throw new ModelException($"The model has {spec.ClassCount} outputs but {classNames.Count} class names were given.");
        Network = new SequentialNetwork(spec);
        ClassNames = classNames;
        Preprocessing = preprocessing ?? Preprocessing.UnitRange;
    }

    /// <summary>A registry architecture (e.g. "tutorial-cnn") for images of <paramref name="inputShape"/>.</summary>
    public static Classifier Create(string architecture, ImageShape inputShape, IReadOnlyList<string> classNames, Preprocessing? preprocessing = null) =>
        new(ModelRegistry.Create(architecture, [inputShape.Channels, inputShape.Height, inputShape.Width], classNames.Count), classNames, preprocessing);

    public SequentialNetwork Network { get; }
    public ModelSpec Spec => Network.Spec;
    public IReadOnlyList<string> ClassNames { get; }
    public Preprocessing Preprocessing { get; }
    public ImageShape InputShape => new(Spec.InputShape[0], Spec.InputShape[1], Spec.InputShape[2]);
    public Device Device { get; private set; } = CPU;
    public TrainingSummary? Training { get; set; }
    string? IImageClassifier.TrainedOn => Training?.Dataset;

    public Classifier To(Device device)
    {
        Network.to(device);
        Device = device;
        return this;
    }

    public ModelSummary Summary() => ModelSummary.Of(Network);

    /// <summary>Class probabilities for a uint8 batch [N, C, H, W] (resized when its size differs).</summary>
    public Tensor PredictProbabilities(Tensor bytes)
    {
        using var scope = NewDisposeScope();
        Network.eval();
        using var noGrad = no_grad();
        using var input = Input(bytes);
        return Network.forward(input).softmax(1).MoveToOuterDisposeScope();
    }

    /// <summary>Logits [N, classes] (on the model's device) for a uint8 batch [N, C, H, W] (resized when its size differs).</summary>
    public Tensor PredictLogits(Tensor bytes)
    {
        using var scope = NewDisposeScope();
        Network.eval();
        using var noGrad = no_grad();
        using var input = Input(bytes);
        return Network.forward(input).MoveToOuterDisposeScope();
    }

    /// <summary>The network's input for a uint8 batch [N, C, H, W]: on the model's device, fitted to its input and preprocessed.</summary>
    public Tensor Input(Tensor bytes) => Preprocessing.Apply(FitToInput(bytes.to(Device)));

    /// <summary>
    /// Fits a uint8 batch [N, C, H, W] to the model's input: grayscale repeated to three channels
    /// when the model takes colour (pretrained backbones do), and resized (bilinear, antialiased)
    /// when the size differs. Other channel mismatches are errors.
    /// </summary>
    public Tensor FitToInput(Tensor bytes) => InputFitting.Fit(bytes, InputShape);

    /// <summary>Whether images with <paramref name="channels"/> channels can be fed (equal, or grayscale into colour).</summary>
    public bool TakesChannels(int channels) => channels == Spec.InputShape[0] || (channels == 1 && Spec.InputShape[0] == 3);

    public void Dispose() => Network.Dispose();
}
