using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImageClassifier.Cli.Infrastructure;

/// <summary>The JSON the CLI prints with --json: snake_case keys, indented.</summary>
public static class Json
{
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
