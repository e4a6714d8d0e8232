using System.CommandLine;
using ImageClassifier.Evaluation;

namespace ImageClassifier.Cli.Infrastructure;

/// <summary>--tta [VIEWS] for evaluate and predict: test-time augmentation, horizontal flips when no views are named.</summary>
public static class TtaOption
{
    public static Option<string?> Create() => new("--tta")
    {
        Description = $"Test-time augmentation: average the probabilities over views of each image: {TestTimeAugmentation.Syntax} (--tta alone: flip).",
        Arity = ArgumentArity.ZeroOrOne,
    };

    public static TestTimeAugmentation? Parse(ParseResult parse, Option<string?> option)
    {
        if (parse.GetResult(option) is null) return null;
        return parse.GetValue(option) is { Length: > 0 } spec ? TestTimeAugmentation.Parse(spec) : new TestTimeAugmentation();
    }
}
