using ImageClassifier.Training;

namespace ImageClassifier.Tests.Training;

/// <summary>The library words its errors in its own terms; the CLI adds its option names (TransferCliTests).</summary>
public class FineTuningOptionsTests
{
    [Theory]
    [InlineData(0, 0, 1e-5, "Freeze epochs must be at least 1, not 0.")]
    [InlineData(1, -1, 1e-5, "Fine-tune epochs must not be negative (-1).")]
    [InlineData(1, 1, 0.0, "The fine-tuning learning rate must be positive, not 0.")]
    public void Bad_stages_are_named_in_the_librarys_terms(int freeze, int fineTune, double rate, string expected)
    {
        var options = new FineTuningOptions { FreezeEpochs = freeze, FineTuneEpochs = fineTune, FineTuneLearningRate = rate };
        var error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Equal(expected, error.Message);
    }
}
