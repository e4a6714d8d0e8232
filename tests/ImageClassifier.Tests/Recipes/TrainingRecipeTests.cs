using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ImageClassifier.Data.Loading;
using ImageClassifier.Models;
using ImageClassifier.Recipes;
using ImageClassifier.Serialization;
using ImageClassifier.Tests.TestSupport;

namespace ImageClassifier.Tests.Recipes;

/// <summary>The library's training recipe is what imgclass train runs: same seed, same files.</summary>
[Trait("Category", "Slow")]
public sealed class TrainingRecipeTests
{
    /// <summary>The README's library program: a few lines for what imgclass train does.</summary>
    static TrainingResult LibraryProgram(string output)
    {
        var recipe = new TrainingRecipe { Epochs = 2, Seed = 7 };
        var result = recipe.Run("fashion-mnist", output, new TrainingDataOptions { Limit = 1500 });
        Console.WriteLine($"test accuracy {result.TestAccuracy:P2}, report {result.Report}");
        return result;
    }

    [Fact]
    public void The_library_recipe_writes_the_same_model_history_summary_and_report_as_imgclass_train()
    {
        using var dir = new TempDirectory();
        var cli = CliRunner.Run("train", "--data", "fashion-mnist", "--limit", "1500", "--epochs", "2", "--seed", "7", "--output", dir.File("cli"));
        Assert.True(cli.ExitCode == 0, cli.Error);
        var library = LibraryProgram(dir.File("library"));

        string[] files = ["model.imgclass", "history.csv", "history.json", "summary.json", "report.html"];
        Assert.Equal(files, files.Where(f => File.Exists(Path.Combine(library.Output, f))));

        using (var fromCli = ModelFile.Load(dir.File("cli/model.imgclass")))
        using (var fromLibrary = ModelFile.Load(dir.File("library/model.imgclass")))
        {
            Assert.Equal(fromCli.ClassNames, fromLibrary.ClassNames);
            Assert.Equal(fromCli.Summary().ToText(fromCli.Spec.Architecture), fromLibrary.Summary().ToText(fromLibrary.Spec.Architecture));
            Assert.Equal(fromCli.Preprocessing, fromLibrary.Preprocessing);
            var weights = fromLibrary.Network.state_dict();
            foreach (var (name, tensor) in fromCli.Network.state_dict())
                Assert.True(tensor.equal(weights[name]).all().item<bool>(), $"weights differ: {name}");
            Assert.Equal(fromCli.Training! with { Seconds = 0 }, fromLibrary.Training! with { Seconds = 0 }, TrainingSummaryComparer.Instance);
        }

        Assert.Equal(WithoutTimings(File.ReadAllText(dir.File("cli/history.csv"))), WithoutTimings(File.ReadAllText(dir.File("library/history.csv"))));
        Assert.Equal(Summary(dir.File("cli/summary.json")), Summary(dir.File("library/summary.json")));
        var (cliReport, libraryReport) = (Sections(dir.File("cli/report.html")), Sections(dir.File("library/report.html")));
        Assert.Equal(cliReport.Keys, libraryReport.Keys);
        foreach (var (id, html) in cliReport)
            Assert.True(html == libraryReport[id], $"the report's '{id}' section differs");
    }

    // history.csv without its seconds and images_per_s columns (wall-clock figures).
    static string WithoutTimings(string csv)
    {
        var rows = csv.Trim().Split('\n').Select(l => l.Split(',')).ToArray();
        var keep = Enumerable.Range(0, rows[0].Length).Where(i => rows[0][i] is not ("seconds" or "images_per_s")).ToArray();
        Assert.True(keep.Length >= 5, csv);
        return string.Join("\n", rows.Select(r => string.Join(",", keep.Select(i => r[i]))));
    }

    static string Summary(string path)
    {
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        foreach (string key in new[] { "seconds", "output", "model_file", "report" }) Assert.True(json.Remove(key), key);
        return json.ToJsonString();
    }

    // The report's sections; the training section's table holds timings, so only its pictures (the curves) count.
    static Dictionary<string, string> Sections(string path)
    {
        var sections = Regex.Matches(File.ReadAllText(path), "<section id=\"([^\"]+)\">(.*?)</section>", RegexOptions.Singleline)
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        sections["training"] = string.Join("\n", Regex.Matches(sections["training"], "<img[^>]*>").Select(m => m.Value));
        Assert.Contains("data:image/png", sections["training"]);
        Assert.True(sections.Count >= 8, string.Join(", ", sections.Keys));
        return sections;
    }

    sealed class TrainingSummaryComparer : IEqualityComparer<TrainingSummary>
    {
        public static readonly TrainingSummaryComparer Instance = new();
        static readonly Dictionary<string, double> None = [];
        public bool Equals(TrainingSummary? a, TrainingSummary? b) =>
            a is not null && b is not null && a with { FinalMetrics = None } == b with { FinalMetrics = None }
            && a.FinalMetrics.Where(kv => kv.Key is not ("seconds" or "images_per_s")).OrderBy(kv => kv.Key)
                .SequenceEqual(b.FinalMetrics.Where(kv => kv.Key is not ("seconds" or "images_per_s")).OrderBy(kv => kv.Key));
        public int GetHashCode(TrainingSummary s) => 0;
    }
}
