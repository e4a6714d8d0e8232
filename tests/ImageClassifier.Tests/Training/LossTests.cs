using ImageClassifier.Training;
using static TorchSharp.torch;

namespace ImageClassifier.Tests.Training;

public class LossTests
{
    static readonly float[] LogitValues = [2f, -1f, 0.5f, 0.1f, 0.2f, 3f];
    static readonly long[] LabelValues = [0, 2];

    // Reference values computed by hand from the definitions (log-softmax per row).
    static double[] LogSoftmaxRow(float[] row)
    {
        double max = row.Max(), sum = row.Sum(v => Math.Exp(v - max));
        return row.Select(v => v - max - Math.Log(sum)).ToArray();
    }

    [Fact]
    public void Index_and_one_hot_targets_give_the_same_loss_with_smoothing_and_weights()
    {
        using var logits = tensor(LogitValues).view(2, 3);
        using var labels = tensor(LabelValues);
        using var oneHot = nn.functional.one_hot(labels, 3).to_type(ScalarType.Float32);
        var loss = new CrossEntropyLoss(labelSmoothing: 0.1);
        Assert.Equal(loss.Compute(logits, labels).item<float>(), loss.Compute(logits, oneHot).item<float>(), 5);
    }

    [Fact]
    public void Matches_the_formula()
    {
        using var logits = tensor(LogitValues).view(2, 3);
        using var labels = tensor(LabelValues);
        var row0 = LogSoftmaxRow(LogitValues[..3]);
        var row1 = LogSoftmaxRow(LogitValues[3..]);
        double plain = -(row0[0] + row1[2]) / 2;
        Assert.Equal(plain, new CrossEntropyLoss().Compute(logits, labels).item<float>(), 5);

        // label smoothing 0.3 over 3 classes: target 0.8 on the class, 0.1 elsewhere
        double smooth = -((0.8 * row0[0] + 0.1 * row0[1] + 0.1 * row0[2]) + (0.1 * row1[0] + 0.1 * row1[1] + 0.8 * row1[2])) / 2;
        Assert.Equal(smooth, new CrossEntropyLoss(0.3).Compute(logits, labels).item<float>(), 5);

        // class weights: PyTorch divides by the sum of the weights of the targets
        double weighted = -(2 * row0[0] + 0.5 * row1[2]) / (2 + 0.5);
        Assert.Equal(weighted, new CrossEntropyLoss(classWeights: [2f, 1f, 0.5f]).Compute(logits, labels).item<float>(), 5);
    }

    [Fact]
    public void Soft_targets_such_as_mixup_are_accepted()
    {
        using var logits = tensor(LogitValues).view(2, 3);
        using var soft = tensor(new float[] { 0.7f, 0.3f, 0, 0, 0.5f, 0.5f }).view(2, 3);
        var row0 = LogSoftmaxRow(LogitValues[..3]);
        var row1 = LogSoftmaxRow(LogitValues[3..]);
        double expected = -((0.7 * row0[0] + 0.3 * row0[1]) + (0.5 * row1[1] + 0.5 * row1[2])) / 2;
        Assert.Equal(expected, new CrossEntropyLoss().Compute(logits, soft).item<float>(), 5);
    }
}
