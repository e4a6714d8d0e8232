using System.CommandLine;

namespace ImageClassifier.Cli.Infrastructure;

/// <summary>Options the command line gave, as opposed to their defaults: how given options override a preset or configuration.</summary>
public static class GivenOptions
{
    public static bool Gave(this ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };

    /// <summary>The option's value when the command line gives it, else <paramref name="otherwise"/>.</summary>
    public static T ValueOr<T>(this ParseResult parse, Option<T> option, T otherwise) => parse.Gave(option) ? parse.GetValue(option)! : otherwise;
}
