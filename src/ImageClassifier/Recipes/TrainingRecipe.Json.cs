using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using ImageClassifier.IO;

namespace ImageClassifier.Recipes;

public sealed partial record TrainingRecipe
{
    /// <summary>
    /// The recipe as JSON, every setting under its snake_case name (learning_rate, batch_size, ...), as <c>imgclass tune</c>
    /// writes best.json and <c>imgclass train --config</c> reads it. The device, callbacks and progress style are left out.
    /// </summary>
    public string ToJson() => JsonSerializer.Serialize(this, TrainingResult.JsonOptions);

    /// <summary>Writes <see cref="ToJson"/> to <paramref name="path"/> (through a temporary file, so a reader never sees half of it).</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, ToJson() + "\n");

    /// <summary>The settings a configuration may hold: their JSON names and .NET types, in the order <see cref="ToJson"/> writes them.</summary>
    public static IReadOnlyList<(string Name, Type Type)> Settings => settings.Value;

    static readonly Lazy<(string Name, Type Type)[]> settings = new(() =>
        Strict.GetTypeInfo(typeof(TrainingRecipe)).Properties
            .Where(p => p.AttributeProvider?.IsDefined(typeof(System.Text.Json.Serialization.JsonIgnoreAttribute), inherit: true) != true)
            .Select(p => (p.Name, p.PropertyType)).ToArray());

    /// <summary>
    /// A recipe from JSON such as <see cref="ToJson"/> writes; settings left out keep their defaults. Unknown settings, values
    /// of the wrong type and malformed JSON are <see cref="ArgumentException"/>s that say where.
    /// </summary>
    public static TrainingRecipe FromJson(string json)
    {
        JsonNode? root;
        try { root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }); }
        catch (JsonException e) { throw new ArgumentException($"it is not valid JSON{Where(e)}{Reason(e)}."); }
        if (root is not JsonObject settings) throw new ArgumentException("it must be a JSON object of settings, such as {\"learning_rate\": 0.001}.");
        return Default.With(settings);
    }

    /// <summary>Reads a recipe saved as JSON (see <see cref="FromJson"/>).</summary>
    public static TrainingRecipe Load(string path)
    {
        if (!File.Exists(path)) throw new ArgumentException($"there is no file '{path}'.");
        return FromJson(File.ReadAllText(path));
    }

    /// <summary>
    /// This recipe with the settings in <paramref name="settings"/> (snake_case names, as in <see cref="ToJson"/>) changed;
    /// a null value clears a setting that may be null. The device, callbacks, progress style and run settings (checkpoints, NaN policy, resume) are kept.
    /// </summary>
    public TrainingRecipe With(JsonObject settings)
    {
        var known = Settings.Select(s => s.Name).ToHashSet();
        if (settings.Select(kv => kv.Key).FirstOrDefault(k => !known.Contains(k)) is string unknown)
            throw new ArgumentException($"unknown setting '{unknown}'; the settings are {string.Join(", ", known)}.");
        var node = JsonSerializer.SerializeToNode(this, TrainingResult.JsonOptions)!.AsObject();
        foreach (var (name, value) in settings) node[name] = value?.DeepClone();
        TrainingRecipe changed;
        try { changed = node.Deserialize<TrainingRecipe>(Strict) ?? throw new ArgumentException("it holds no settings."); }
        catch (JsonException e)
        {
            string path = e.Path?.TrimStart('$', '.') ?? "";
            throw Settings.FirstOrDefault(s => s.Name == path) is { Name: not null } setting
                ? new ArgumentException($"'{path}' must be {Expected(setting.Type)}, not {node[path]?.ToJsonString() ?? "null"}.")
                : new ArgumentException($"{(path.Length > 0 ? $"'{path}'" : "a setting")} is not valid{Reason(e)}.");
        }
        return changed with
        {
            Device = Device, ExtraCallbacks = ExtraCallbacks, InteractiveProgress = InteractiveProgress,
            CheckpointEvery = CheckpointEvery, OnNan = OnNan, Resume = Resume, Stop = Stop, Invocation = Invocation,
        };
    }

    // The project's JSON, refusing settings it does not know (inside transfer too).
    static JsonSerializerOptions Strict => strict.Value;

    static readonly Lazy<JsonSerializerOptions> strict = new(() => new JsonSerializerOptions(TrainingResult.JsonOptions)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    });

    static string Where(JsonException e) => e.LineNumber is long line ? $" (line {line + 1})" : "";

    static string Expected(Type type) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(int) => "a whole number",
        var t when t == typeof(double) => "a number",
        var t when t == typeof(bool) => "true or false",
        var t when t == typeof(string) => "a string",
        var t => $"a {t.Name} object",
    };

    // System.Text.Json's message without its own "Path: ... | LineNumber: ..." tail.
    static string Reason(JsonException e)
    {
        string message = e.Message;
        int cut = new[] { message.IndexOf(" Path:", StringComparison.Ordinal), message.IndexOf(" LineNumber:", StringComparison.Ordinal) }.Where(i => i >= 0).DefaultIfEmpty(message.Length).Min();
        return ": " + message[..cut].TrimEnd('.', ' ');
    }
}
