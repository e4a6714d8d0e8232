using ImageClassifier.Data;
using ImageClassifier.Evaluation;
using ImageClassifier.Imaging;
using ImageClassifier.Models;
using static TorchSharp.torch;

namespace ImageClassifier.Tests.Evaluation;

public class BatchInferenceTests
{
    static (Classifier Model, ImageDataset Data) Setup(int count)
    {
        manual_seed(5);
        var shape = new ImageShape(1, 8, 8);
        var pixels = new byte[count * shape.Size];
        new Random(5).NextBytes(pixels);
        return (Classifier.Create("mlp", shape, ["a", "b", "c"]), new ImageDataset("d", shape, ["a", "b", "c"], pixels, new int[count]));
    }

    [Fact]
    public void Batches_give_the_same_rows_as_one_batch()
    {
        var (model, data) = Setup(7);
        using var _ = model;
        using var all = tensor(data.Pixels, [7, 1, 8, 8]);
        using var expected = model.PredictProbabilities(all);

        using var inThrees = model.Probabilities(data, batchSize: 3); // batches of 3, 3 and 1
        Assert.Equal([7, 3], inThrees.shape);
        Assert.True(inThrees.allclose(expected, rtol: 1e-5, atol: 1e-6));
        using var logits = model.Logits(data, batchSize: 2);
        Assert.True(logits.softmax(1).allclose(expected, rtol: 1e-5, atol: 1e-6));
        Assert.False(model.Network.training); // inference mode
    }

    [Fact]
    public void An_empty_dataset_gives_no_rows_but_Map_refuses_it()
    {
        var (model, data) = Setup(0);
        using var _ = model;
        using var logits = model.Logits(data);
        Assert.Equal([0, 3], logits.shape);
        Assert.Throws<DatasetException>(() => model.Map(data, batch => batch));
    }
}
