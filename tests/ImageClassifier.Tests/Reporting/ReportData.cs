using ImageClassifier.Data;
using ImageClassifier.Evaluation;
using ImageClassifier.Imaging;
using ImageClassifier.Tests.TestSupport;
using ImageClassifier.Training;

namespace ImageClassifier.Tests.Reporting;

/// <summary>Real Fashion-MNIST test images with made-up model outputs, so pictures can be tested without training.</summary>
public static class ReportData
{
    public static ImageDataset Images(int count = 200) => FashionMnist.Test.Take(count);

    /// <summary>
    /// An evaluation where every <paramref name="wrongEvery"/>-th image is predicted as the next class
    /// and the rest rightly, with confidences that vary from image to image.
    /// </summary>
    public static EvaluationResult Result(ImageDataset data, int wrongEvery = 4)
    {
        int classes = data.ClassCount;
        var predicted = new int[data.Count];
        var probabilities = new float[data.Count][];
        for (int i = 0; i < data.Count; i++)
        {
            int label = data.Labels[i];
            predicted[i] = i % wrongEvery == 0 ? (label + 1) % classes : label;
            float top = 0.4f + 0.55f * (i * 37 % 100) / 100f;
            var p = Enumerable.Repeat((1 - top) / (classes - 1), classes).ToArray();
            p[predicted[i]] = top;
            probabilities[i] = p;
        }
        double accuracy = predicted.Where((p, i) => p == data.Labels[i]).Count() / (double)data.Count;
        double loss = Metrics.LogLoss(probabilities, data.Labels);
        return new EvaluationResult(data.Name, data.ClassNames, data.Labels, predicted, probabilities, loss, accuracy);
    }

    /// <summary>Three classes of 40x48 RGB images: red, green and blue gradients.</summary>
    public static ImageDataset Colourful(int perClass = 4)
    {
        var shape = new ImageShape(3, 40, 48);
        int count = 3 * perClass, plane = shape.Height * shape.Width;
        var pixels = new byte[count * shape.Size];
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = i % 3;
            for (int y = 0; y < shape.Height; y++)
                for (int x = 0; x < shape.Width; x++)
                    for (int c = 0; c < 3; c++)
                        pixels[i * shape.Size + c * plane + y * shape.Width + x] = (byte)(c == labels[i] ? 255 * x / shape.Width : 40 + 4 * i + y);
        }
        return new ImageDataset("colourful", shape, ["red <&> \"quoted\"", "green", "blue"], pixels, labels);
    }

    /// <summary>Five epochs of falling loss, rising accuracy and a learning rate cut once, as Trainer logs them.</summary>
    public static History History(int epochs = 5)
    {
        var history = new History();
        for (int e = 0; e < epochs; e++)
            history.Add(new Dictionary<string, double>
            {
                ["loss"] = 1.2 / (e + 1), ["accuracy"] = 0.6 + 0.06 * e,
                ["val_loss"] = 1.3 / (e + 1) + 0.05, ["val_accuracy"] = 0.58 + 0.05 * e,
                ["lr"] = e < 3 ? 1e-3 : 2e-4, ["seconds"] = 10 + e,
            });
        return history;
    }
}
