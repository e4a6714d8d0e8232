using ImageClassifier.Tests.TestSupport;

namespace ImageClassifier.Tests.Distributed;

public class DistributedOptionsTests
{
    [Theory]
    [InlineData("--sync-batch-norm")]
    [InlineData("--no-lr-scaling")]
    [InlineData("--lr-warmup-epochs", "1")]
    [InlineData("--distributed-timeout", "10")]
    public void Distributed_only_options_are_refused_without_distributed(params string[] option)
    {
        var result = CliRunner.Run(["train", "-d", "fashion-mnist", "--limit", "10", .. option]);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: {option[0]} applies only with --distributed.", result.Error.Trim());
    }

    [Theory]
    [InlineData("--lr-warmup-epochs", "-1", "error: --lr-warmup-epochs must not be negative (-1).")]
    [InlineData("--distributed-timeout", "0", "error: --distributed-timeout must be positive, not 0.")]
    public void Bad_distributed_values_fail_with_the_option_name(string option, string value, string message)
    {
        var result = CliRunner.Run("train", "-d", "fashion-mnist", "--limit", "10", "--distributed", option, value);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(message, result.Error.Trim());
    }
}
