using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ImageClassifier.Models;
using ImageClassifier.Recipes;
using ImageClassifier.Training;

namespace ImageClassifier.Tuning;

/// <summary>A search space that cannot be used, with what is wrong and in which parameter.</summary>
public sealed class SearchSpaceException(string message) : ArgumentException(message);

/// <summary>How a parameter's values are drawn.</summary>
public enum ParameterKind
{
    /// <summary>Uniform between low and high.</summary>
    Uniform,
    /// <summary>Uniform in log(value) between low and high (both positive): as likely 1e-4..1e-3 as 1e-3..1e-2.</summary>
    LogUniform,
    /// <summary>A whole number from low to high, both included.</summary>
    Int,
    /// <summary>One of a list of values (numbers, strings, true/false, null).</summary>
    Choice,
}

/// <summary>One searched setting of the <see cref="TrainingRecipe"/>, by its JSON name (learning_rate, batch_size, ...).</summary>
public sealed record SearchParameter(string Name, ParameterKind Kind, double Low, double High, IReadOnlyList<JsonNode?> Values)
{
    /// <summary>The JSON kind names, as a space file spells them.</summary>
    public static readonly IReadOnlyDictionary<string, ParameterKind> Kinds = new Dictionary<string, ParameterKind>
    {
        ["uniform"] = ParameterKind.Uniform, ["log_uniform"] = ParameterKind.LogUniform, ["int"] = ParameterKind.Int, ["choice"] = ParameterKind.Choice,
    };

    public string KindName => Kinds.First(k => k.Value == Kind).Key;

    /// <summary>A value drawn with <paramref name="random"/>; continuous values are rounded to 3 significant digits, which keeps tables readable.</summary>
    public JsonNode? Sample(Random random) => Kind switch
    {
        ParameterKind.Uniform => JsonValue.Create(Round(Low + random.NextDouble() * (High - Low))),
        ParameterKind.LogUniform => JsonValue.Create(Round(Math.Exp(Math.Log(Low) + random.NextDouble() * (Math.Log(High) - Math.Log(Low))))),
        ParameterKind.Int => JsonValue.Create((int)random.NextInt64((long)Low, (long)High + 1)),
        _ => Values[random.Next(Values.Count)]?.DeepClone(),
    };

    double Round(double value) => Math.Clamp(double.Parse(value.ToString("G3", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture), Low, High);

    /// <summary>The parameter as a space file writes it.</summary>
    public JsonObject ToJson() => Kind == ParameterKind.Choice
        ? new JsonObject { ["kind"] = KindName, ["values"] = new JsonArray(Values.Select(v => v?.DeepClone()).ToArray()) }
        : new JsonObject { ["kind"] = KindName, ["low"] = Kind == ParameterKind.Int ? (int)Low : Low, ["high"] = Kind == ParameterKind.Int ? (int)High : High };

    /// <summary>In words: "log_uniform 0.0001 to 0.01", "choice of 32, 64, 128".</summary>
    public override string ToString() => Kind == ParameterKind.Choice
        ? "choice of " + string.Join(", ", Values.Select(Format))
        : $"{KindName} {Format(JsonValue.Create(Low))} to {Format(JsonValue.Create(High))}";

    /// <summary>A sampled value as tables show it: strings bare, null as "none".</summary>
    public static string Format(JsonNode? value) => value switch
    {
        null => "none",
        JsonValue v when v.TryGetValue(out string? text) => text,
        JsonValue v when v.TryGetValue(out double number) => number.ToString("G4", CultureInfo.InvariantCulture),
        _ => value.ToJsonString(),
    };
}

/// <summary>
/// What a hyperparameter search draws from: settings of the <see cref="TrainingRecipe"/> under their JSON names
/// (those of best.json), each with a kind, in a JSON object:
/// <code>
/// {
///   "learning_rate": { "kind": "log_uniform", "low": 1e-4, "high": 1e-2 },
///   "batch_size":    { "kind": "choice", "values": [32, 64, 128] },
///   "label_smoothing": { "kind": "uniform", "low": 0, "high": 0.2 },
///   "augment":       { "kind": "choice", "values": [null, "flip", "flip,translate=0.1"] }
/// }
/// </code>
/// Any setting can be searched except those the search itself fixes (epochs, seed, validation_split, monitor); settings
/// the recipe does not have (dropout, image_size) are errors that say why. Parsing checks every bound and choice
/// as the recipe would, so a bad value fails before anything trains.
/// </summary>
public sealed class SearchSpace
{
    SearchSpace(IReadOnlyList<SearchParameter> parameters) => Parameters = parameters;

    /// <summary>The parameters, in the file's order (the order they are drawn in).</summary>
    public IReadOnlyList<SearchParameter> Parameters { get; }

    // Settings a search cannot vary, and why.
    static readonly Dictionary<string, string> Fixed = new()
    {
        ["epochs"] = "the search sets each trial's epochs itself (from --min-epochs to --max-epochs)",
        ["seed"] = "every trial uses the study's seed (--seed), so that all are scored on the same validation split and can be reproduced",
        ["validation_split"] = "every trial is scored on the same validation split",
        ["monitor"] = "trials are ranked on val_accuracy, which the recipe's early stopping also watches",
        ["transfer"] = "transfer-learning settings cannot be searched",
        ["report"] = "it is not a training setting",
        ["dropout"] = "the training recipe has no dropout setting: each architecture fixes its own (tutorial-cnn has Dropout(0.5)); search 'model' instead",
        ["image_size"] = "the training recipe cannot change the image size: a study reads the data once, at one size (--image-size)",
        ["schedule"] = "the recipe's schedule is reduce-LR-on-plateau: search reduce_lr_factor, reduce_lr_patience or min_lr",
        ["lr"] = "the learning rate is 'learning_rate'",
    };

    /// <summary>Reads a space file (see <see cref="Parse"/>).</summary>
    public static SearchSpace Load(string path)
    {
        if (!File.Exists(path)) throw new SearchSpaceException($"Search space '{path}' does not exist.");
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses a space; <paramref name="source"/> (a file name) goes into the error messages.</summary>
    public static SearchSpace Parse(string json, string? source = null)
    {
        string where = source is null ? "Search space" : $"Search space {source}";
        JsonNode? root;
        try { root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }); }
        catch (JsonException e) { throw new SearchSpaceException($"{where} is not valid JSON (line {e.LineNumber + 1}): {FirstSentence(e.Message)}"); }
        if (root is not JsonObject parameters)
            throw new SearchSpaceException($"{where} must be a JSON object of parameters, such as {{\"learning_rate\": {{\"kind\": \"log_uniform\", \"low\": 1e-4, \"high\": 1e-2}}}}.");
        if (parameters.Count == 0) throw new SearchSpaceException($"{where} has no parameters to search.");
        return new SearchSpace(parameters.Select(kv => Parameter(where, kv.Key, kv.Value)).ToArray());
    }

    /// <summary>The space as JSON, written the same way whatever the file's spacing and comments were (studies compare it when resuming).</summary>
    public JsonObject ToJson() => new(Parameters.Select(p => KeyValuePair.Create(p.Name, (JsonNode?)p.ToJson())));

    /// <summary>
    /// Configuration number <paramref name="config"/> (1, 2, ...) of a study with <paramref name="seed"/>: each parameter drawn in
    /// turn from a generator seeded by both, so the same seed and number give the same values on any run.
    /// </summary>
    public JsonObject Sample(int seed, int config)
    {
        var random = new Random(ConfigSeed(seed, config));
        var values = new JsonObject();
        foreach (var parameter in Parameters) values[parameter.Name] = parameter.Sample(random);
        return values;
    }

    /// <summary>The recipe with a sampled configuration's values in place.</summary>
    public TrainingRecipe Apply(TrainingRecipe recipe, JsonObject values) => recipe.With(values);

    /// <summary>The generator seed of configuration <paramref name="config"/>: SplitMix64 of the two, so neighbouring configurations are unrelated.</summary>
    public static int ConfigSeed(int seed, int config)
    {
        ulong z = unchecked(((ulong)(uint)seed << 32 | (uint)config) + 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return (int)((z ^ (z >> 31)) & int.MaxValue);
    }

    static SearchParameter Parameter(string where, string name, JsonNode? spec)
    {
        string at = $"{where}: parameter '{name}'";
        if (Fixed.TryGetValue(name, out string? why)) throw new SearchSpaceException($"{at} cannot be searched: {why}.");
        var setting = TrainingRecipe.Settings.FirstOrDefault(s => s.Name == name);
        if (setting.Name is null)
            throw new SearchSpaceException($"{at} is not a training setting. The settings that can be searched: {string.Join(", ", Searchable)}.");
        if (spec is not JsonObject fields)
            throw new SearchSpaceException($"{at} must be an object with a kind, such as {{\"kind\": \"choice\", \"values\": [...]}}.");
        if (fields["kind"] is not JsonValue kindValue || !kindValue.TryGetValue(out string? kindName))
            throw new SearchSpaceException($"{at} needs a \"kind\": {KindList}.");
        if (!SearchParameter.Kinds.TryGetValue(kindName, out var kind))
            throw new SearchSpaceException($"{at} has an unknown kind '{kindName}'; the kinds are {KindList}.");

        string[] allowed = kind == ParameterKind.Choice ? ["kind", "values"] : ["kind", "low", "high"];
        if (fields.Select(f => f.Key).FirstOrDefault(f => !allowed.Contains(f)) is string extra)
            throw new SearchSpaceException($"{at} has a field '{extra}' that {kindName} does not take (it takes {string.Join(", ", allowed.Skip(1))}).");

        var type = Nullable.GetUnderlyingType(setting.Type) ?? setting.Type;
        var parameter = kind == ParameterKind.Choice ? Choice(at, name, fields) : Range(at, name, kindName, kind, fields, type);
        // Every choice, and both ends of a range, must be a value the recipe accepts.
        IEnumerable<JsonNode?> probes = kind == ParameterKind.Choice ? parameter.Values
            : [JsonValue.Create(kind == ParameterKind.Int ? (int)parameter.Low : parameter.Low), JsonValue.Create(kind == ParameterKind.Int ? (int)parameter.High : parameter.High)];
        foreach (var value in probes) Check(at, name, value);
        return parameter;
    }

    static SearchParameter Choice(string at, string name, JsonObject fields)
    {
        if (fields["values"] is not JsonArray values) throw new SearchSpaceException($"{at}: choice needs \"values\", a list such as [32, 64, 128].");
        if (values.Count == 0) throw new SearchSpaceException($"{at}: choice has no values to choose from.");
        return new SearchParameter(name, ParameterKind.Choice, double.NaN, double.NaN, values.Select(v => v?.DeepClone()).ToArray());
    }

    static SearchParameter Range(string at, string name, string kindName, ParameterKind kind, JsonObject fields, Type type)
    {
        if (kind is ParameterKind.Uniform or ParameterKind.LogUniform && type != typeof(double))
            throw new SearchSpaceException($"{at} is {Described(type)}, so {kindName} does not fit it: use " + (type == typeof(int) ? "int or choice." : "choice."));
        if (kind == ParameterKind.Int && type != typeof(int))
            throw new SearchSpaceException($"{at} is {Described(type)}, so int does not fit it: use " + (type == typeof(double) ? "uniform, log_uniform or choice." : "choice."));
        double low = Bound(at, kindName, fields, "low"), high = Bound(at, kindName, fields, "high");
        if (kind == ParameterKind.Int && (low != Math.Floor(low) || high != Math.Floor(high) || Math.Abs(low) > int.MaxValue || Math.Abs(high) > int.MaxValue))
            throw new SearchSpaceException($"{at}: int needs whole-number bounds, not low={Text(low)}, high={Text(high)}.");
        if (low > high) throw new SearchSpaceException($"{at}: low ({Text(low)}) is above high ({Text(high)}).");
        if (kind == ParameterKind.LogUniform && low <= 0)
            throw new SearchSpaceException($"{at}: log_uniform needs positive bounds (it draws uniformly in log(value)), not low={Text(low)}, high={Text(high)}.");
        return new SearchParameter(name, kind, low, high, []);
    }

    static double Bound(string at, string kindName, JsonObject fields, string bound) =>
        fields[bound] is JsonValue value && value.TryGetValue(out double number) && double.IsFinite(number) ? number
            : throw new SearchSpaceException($"{at}: {kindName} needs \"{bound}\", a number{(fields[bound] is null ? "" : $", not {fields[bound]!.ToJsonString()}")}.");

    // A value the recipe rejects (wrong type, out of range, unknown model or optimizer) fails here, naming the parameter.
    static void Check(string at, string name, JsonNode? value)
    {
        string shown = value?.ToJsonString() ?? "null";
        try
        {
            var recipe = TrainingRecipe.Default.With(new JsonObject { [name] = value?.DeepClone() });
            recipe.Validate();
            if (name == "model") ModelRegistry.Get(recipe.Model);
            if (name == "optimizer" && !Optimizers.Names.Contains(recipe.Optimizer.ToLowerInvariant()))
                throw new ArgumentException($"unknown optimizer '{recipe.Optimizer}'; the optimizers are {string.Join(", ", Optimizers.Names)}");
        }
        catch (Exception e) when (e is ArgumentException or ModelException)
        {
            throw new SearchSpaceException($"{at}: {shown} is not a valid value: {e.Message.TrimEnd('.')}.");
        }
    }

    /// <summary>The settings a space may name.</summary>
    public static IEnumerable<string> Searchable => TrainingRecipe.Settings.Select(s => s.Name).Where(n => !Fixed.ContainsKey(n));

    static string KindList => string.Join(", ", SearchParameter.Kinds.Keys);

    static string Described(Type type) =>
        type == typeof(int) ? "a whole number" : type == typeof(double) ? "a number" : type == typeof(bool) ? "true or false" : "a string";

    static string Text(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    static string FirstSentence(string message)
    {
        int cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut >= 0 ? message[..cut] : message).Trim();
    }
}
