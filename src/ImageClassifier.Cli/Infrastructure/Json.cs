using System.Text.Json;
using ImageClassifier.Recipes;

namespace ImageClassifier.Cli.Infrastructure;

/// <summary>The JSON the CLI prints with --json: the library's (snake_case keys, indented), as summary.json has it.</summary>
public static class Json
{
    public static JsonSerializerOptions Options => TrainingResult.JsonOptions;
}
