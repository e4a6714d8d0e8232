using System.Text.RegularExpressions;
using ImageClassifier.Tests.TestSupport;

namespace ImageClassifier.Tests.Architecture;

/// <summary>
/// The library's layers point one way (CLI -> Reporting -> Evaluation / Training -> Inference -> Serialization, Export ->
/// Models, Data -> Imaging -> Engine, IO): a file names types of its own layer and of the layers below it only. Read from the sources, so that a new <c>using</c> that points up fails here, naming the line.
/// </summary>
public partial class LayeringTests
{
    /// <summary>The layers checked, with the layers (top-level folders of src/ImageClassifier) their files may name besides their own.</summary>
    static readonly Dictionary<string, string[]> MayUse = new()
    {
        ["IO"] = [],
        ["Engine"] = ["IO"],
        ["Imaging"] = ["Engine", "IO"],
        ["Data"] = ["Imaging", "Engine", "IO"],
        ["Models"] = ["Imaging", "Engine", "IO"],
        ["Serialization"] = ["Models", "Imaging", "Engine", "IO"],
        ["Export"] = ["Models", "Imaging", "Engine", "IO"],
        ["Inference"] = ["Export", "Serialization", "Models", "Imaging", "Engine", "IO"],
        // Data-parallel training plugs into the training loop; the recipes (and the CLI) above it turn it on.
        ["Distributed"] = ["Training", "Serialization", "Models", "Data", "Imaging", "Engine", "IO"],
        // The audit sits beside Recipes: it trains through a recipe and draws its page with Reporting; nothing below names it.
        ["Audit"] = ["Recipes", "Reporting", "Evaluation", "Training", "Serialization", "Models", "Data", "Imaging", "Engine", "IO"],
    };

    [Fact]
    public void Lower_layers_name_no_type_of_a_layer_above_them()
    {
        string library = Path.Combine(RepositoryRoot.Path, "src", "ImageClassifier");
        var layers = Layers(library);
        Assert.Subset(layers.Keys.ToHashSet(), MayUse.Keys.ToHashSet()); // every checked layer still exists

        var violations = new List<string>();
        foreach (var (layer, allowed) in MayUse)
            foreach (string file in SourceFiles(Path.Combine(library, layer)))
            {
                string name = Path.GetRelativePath(library, file);
                violations.AddRange(Violations(layer, allowed, File.ReadAllLines(file), layers)
                    .Select(v => $"src/ImageClassifier/{name}:{v.Line}: names {v.Layer} ({v.Text})"));
            }

        string rules = string.Join("; ", MayUse.Select(r => $"{r.Key} may use {string.Join(", ", r.Value.DefaultIfEmpty("no other layer"))}"));
        Assert.True(violations.Count == 0, $"{violations.Count} reference(s) point up the layers ({rules}):"
            + Environment.NewLine + string.Join(Environment.NewLine, violations));
    }

    [Fact]
    public void The_check_sees_every_way_of_naming_another_layer()
    {
        var layers = new Dictionary<string, HashSet<string>>
        {
            ["Imaging"] = ["ImageShape"], ["Engine"] = ["TorchRuntime"], ["Data"] = ["ImageDataset", "Loading"],
            ["Training"] = ["Losses"], ["Reporting"] = ["ImageGrid"],
        };
        string[] source =
        [
            "using ImageClassifier.Data;",                              // 1: a using directive
            "using static ImageClassifier.Training.Losses;",            // 2: using static
            "using Grid = ImageClassifier.Reporting.ImageGrid;",        // 3: an alias
            "global using ImageClassifier.Data.Loading;",               // 4: a global using
            "var d = new ImageClassifier.Data.ImageDataset(x);",        // 5: a fully qualified name
            "var e = global::ImageClassifier.Data.ImageDataset.Empty;", // 6: global::
            "Data.ImageDataset d = Load();",                            // 7: relative to the ImageClassifier namespace
            "/// <see cref=\"Data.Loading.IBatchSource\"/>",            // 8: a doc comment's reference
            "using ImageClassifier.Engine;",                            // allowed
            "var shape = new ImageClassifier.Imaging.ImageShape(1, 2, 3);",
            "int n = data.Count + Training.BestEpoch + result.Data.Length;", // members, not types of those layers
        ];

        var found = Violations("Imaging", ["Engine"], source, layers).ToList();

        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8], found.Select(v => v.Line));
        Assert.Equal(["Data", "Training", "Reporting", "Data", "Data", "Data", "Data", "Data"], found.Select(v => v.Layer));
    }

    record Violation(int Line, string Layer, string Text);

    /// <summary>Each line's names of a layer that is neither <paramref name="layer"/> nor one of <paramref name="allowed"/>.</summary>
    static IEnumerable<Violation> Violations(string layer, string[] allowed, IReadOnlyList<string> lines, Dictionary<string, HashSet<string>> layers)
    {
        bool Forbidden(string other) => other != layer && !allowed.Contains(other) && layers.ContainsKey(other);
        for (int i = 0; i < lines.Count; i++)
        {
            string line = lines[i];
            // ImageClassifier.X anywhere: using, using static, aliases, global using, fully qualified names, global::.
            var named = QualifiedName().Matches(line).Select(m => m.Groups[1].Value)
                // X.Type, which resolves inside the ImageClassifier namespace, when Type is one of layer X's types.
                .Concat(RelativeName().Matches(line)
                    .Where(m => layers.TryGetValue(m.Groups[1].Value, out var types) && types.Contains(m.Groups[2].Value))
                    .Select(m => m.Groups[1].Value));
            foreach (string other in named.Where(Forbidden).Distinct())
                yield return new Violation(i + 1, other, line.Trim());
        }
    }

    /// <summary>The library's layers (its top-level folders), each with the names its files declare: types and sub-namespaces.</summary>
    static Dictionary<string, HashSet<string>> Layers(string library) =>
        Directory.GetDirectories(library)
            .Where(d => Path.GetFileName(d) is not ("bin" or "obj"))
            .ToDictionary(d => Path.GetFileName(d), d => SourceFiles(d)
                .SelectMany(f => Declaration().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
                .Concat(Directory.GetDirectories(d, "*", SearchOption.AllDirectories).Select(sub => Path.GetFileName(sub)))
                .ToHashSet());

    static IEnumerable<string> SourceFiles(string folder) =>
        Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            .Order(StringComparer.Ordinal);

    [GeneratedRegex(@"(?<![\w.])(?:global::)?ImageClassifier\.(\w+)")]
    private static partial Regex QualifiedName();

    [GeneratedRegex(@"(?<![\w.])([A-Z]\w*)\.([A-Z]\w*)")]
    private static partial Regex RelativeName();

    [GeneratedRegex(@"\b(?:class|record|struct|interface|enum|delegate\s+\S+)\s+([A-Z]\w*)")]
    private static partial Regex Declaration();
}
