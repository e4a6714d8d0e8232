using System.Text.Json.Nodes;
using ImageClassifier.Recipes;
using ImageClassifier.Tuning;

namespace ImageClassifier.Tests.Tuning;

/// <summary>The search-space parser (each error names the parameter and says what is wrong) and the seeded sampler.</summary>
public sealed class SearchSpaceTests
{
    const string Space = """
        {
          // comments and trailing commas are allowed
          "learning_rate": { "kind": "log_uniform", "low": 1e-4, "high": 1e-2 },
          "batch_size": { "kind": "choice", "values": [32, 64, 128] },
          "label_smoothing": { "kind": "uniform", "low": 0, "high": 0.2 },
          "patience": { "kind": "int", "low": 2, "high": 4 },
          "optimizer": { "kind": "choice", "values": ["adam", "adamw", "sgd"] },
          "augment": { "kind": "choice", "values": [null, "flip", "flip,translate=0.1"] },
          "model": { "kind": "choice", "values": ["tutorial-cnn", "mlp"] },
        }
        """;

    static string Error(string json) => Assert.Throws<SearchSpaceException>(() => SearchSpace.Parse(json, "space.json")).Message;

    [Fact]
    public void A_space_parses_into_its_parameters_in_the_files_order()
    {
        var space = SearchSpace.Parse(Space);
        Assert.Equal(["learning_rate", "batch_size", "label_smoothing", "patience", "optimizer", "augment", "model"], space.Parameters.Select(p => p.Name));
        var lr = space.Parameters[0];
        Assert.Equal((ParameterKind.LogUniform, 1e-4, 1e-2), (lr.Kind, lr.Low, lr.High));
        Assert.Equal("log_uniform 0.0001 to 0.01", lr.ToString());
        Assert.Equal("choice of none, flip, flip,translate=0.1", space.Parameters[5].ToString());
        // Written back the same way whatever the spacing and comments were.
        Assert.True(JsonNode.DeepEquals(space.ToJson(), SearchSpace.Parse(space.ToJson().ToJsonString()).ToJson()));
    }

    [Theory]
    [InlineData("""{"learning_rate": {"kind": "loguniform", "low": 1e-4, "high": 1e-2}}""", "parameter 'learning_rate' has an unknown kind 'loguniform'; the kinds are uniform, log_uniform, int, choice")]
    [InlineData("""{"learning_rate": {"low": 1e-4, "high": 1e-2}}""", "parameter 'learning_rate' needs a \"kind\"")]
    [InlineData("""{"batch_size": {"kind": "choice", "values": []}}""", "parameter 'batch_size': choice has no values to choose from")]
    [InlineData("""{"batch_size": {"kind": "choice"}}""", "parameter 'batch_size': choice needs \"values\"")]
    [InlineData("""{"label_smoothing": {"kind": "uniform", "low": 0.2, "high": 0.1}}""", "parameter 'label_smoothing': low (0.2) is above high (0.1)")]
    [InlineData("""{"patience": {"kind": "int", "low": 5, "high": 2}}""", "parameter 'patience': low (5) is above high (2)")]
    [InlineData("""{"learning_rate": {"kind": "log_uniform", "low": 0, "high": 0.1}}""", "parameter 'learning_rate': log_uniform needs positive bounds")]
    [InlineData("""{"weight_decay": {"kind": "log_uniform", "low": -1e-4, "high": 1e-3}}""", "parameter 'weight_decay': log_uniform needs positive bounds")]
    [InlineData("""{"learning_rate": {"kind": "uniform", "low": 1e-4}}""", "parameter 'learning_rate': uniform needs \"high\", a number")]
    [InlineData("""{"learning_rate": {"kind": "uniform", "low": "small", "high": 1}}""", "parameter 'learning_rate': uniform needs \"low\", a number, not \"small\"")]
    [InlineData("""{"learning_rate": {"kind": "uniform", "min": 0, "max": 1}}""", "parameter 'learning_rate' has a field 'min' that uniform does not take (it takes low, high)")]
    [InlineData("""{"patience": {"kind": "int", "low": 1.5, "high": 3}}""", "parameter 'patience': int needs whole-number bounds")]
    [InlineData("""{"batch_size": {"kind": "uniform", "low": 16, "high": 256}}""", "parameter 'batch_size' is a whole number, so uniform does not fit it: use int or choice")]
    [InlineData("""{"learning_rate": {"kind": "int", "low": 1, "high": 2}}""", "parameter 'learning_rate' is a number, so int does not fit it: use uniform, log_uniform or choice")]
    [InlineData("""{"optimizer": {"kind": "uniform", "low": 0, "high": 1}}""", "parameter 'optimizer' is a string, so uniform does not fit it: use choice")]
    [InlineData("""{"learning_rate": 0.001}""", "parameter 'learning_rate' must be an object with a kind")]
    public void Invalid_parameters_fail_with_what_is_wrong_and_where(string json, string expected)
    {
        string message = Error(json);
        Assert.StartsWith("Search space space.json: ", message);
        Assert.Contains(expected, message);
    }

    [Theory]
    [InlineData("lr", "parameter 'lr' cannot be searched: the learning rate is 'learning_rate'")]
    [InlineData("dropout", "parameter 'dropout' cannot be searched: the training recipe has no dropout setting")]
    [InlineData("image_size", "parameter 'image_size' cannot be searched: the training recipe cannot change the image size")]
    [InlineData("epochs", "parameter 'epochs' cannot be searched: the search sets each trial's epochs itself")]
    [InlineData("seed", "parameter 'seed' cannot be searched")]
    [InlineData("validation_split", "parameter 'validation_split' cannot be searched")]
    [InlineData("learning_rte", "parameter 'learning_rte' is not a training setting. The settings that can be searched: model, batch_size, optimizer, learning_rate")]
    public void Names_that_are_not_searchable_settings_are_errors_that_say_why(string name, string expected) =>
        Assert.Contains(expected, Error("{\"" + name + "\": {\"kind\": \"choice\", \"values\": [1]}}"));

    [Theory]
    [InlineData("""{"augment": {"kind": "choice", "values": ["flip", "twirl=0.2"]}}""", "parameter 'augment': \"twirl=0.2\" is not a valid value")]
    [InlineData("""{"model": {"kind": "choice", "values": ["mlp", "resnet99"]}}""", "parameter 'model': \"resnet99\" is not a valid value: Unknown model 'resnet99'")]
    [InlineData("""{"optimizer": {"kind": "choice", "values": ["adam", "lbfgs"]}}""", "parameter 'optimizer': \"lbfgs\" is not a valid value: unknown optimizer 'lbfgs'")]
    [InlineData("""{"batch_size": {"kind": "choice", "values": [32, "64"]}}""", "parameter 'batch_size': \"64\" is not a valid value: 'batch_size' must be a whole number")]
    [InlineData("""{"batch_size": {"kind": "int", "low": 0, "high": 64}}""", "parameter 'batch_size': 0 is not a valid value: Batch size must be at least 1")]
    [InlineData("""{"label_smoothing": {"kind": "uniform", "low": 0, "high": 1.5}}""", "parameter 'label_smoothing': 1.5 is not a valid value: Label smoothing must be in [0, 1)")]
    public void Values_the_recipe_would_refuse_fail_when_the_space_is_read(string json, string expected) =>
        Assert.Contains(expected, Error(json));

    [Theory]
    [InlineData("{\"learning_rate\": {\"kind\": ", "Search space space.json is not valid JSON (line 1)")]
    [InlineData("[1, 2]", "must be a JSON object of parameters")]
    [InlineData("{}", "has no parameters to search")]
    public void A_file_that_is_not_a_space_says_so(string json, string expected) => Assert.Contains(expected, Error(json));

    [Fact]
    public void A_missing_file_is_named() =>
        Assert.Contains("'/no/such/space.json' does not exist", Assert.Throws<SearchSpaceException>(() => SearchSpace.Load("/no/such/space.json")).Message);

    [Fact]
    public void The_same_seed_and_configuration_give_the_same_values_and_others_differ()
    {
        var space = SearchSpace.Parse(Space);
        Assert.True(JsonNode.DeepEquals(space.Sample(42, 3), SearchSpace.Parse(Space).Sample(42, 3)));
        var configs = Enumerable.Range(1, 20).Select(c => space.Sample(42, c).ToJsonString()).ToList();
        Assert.True(configs.Distinct().Count() >= 19, string.Join("\n", configs));
        Assert.NotEqual(space.Sample(42, 1).ToJsonString(), space.Sample(43, 1).ToJsonString());
    }

    [Fact]
    public void Samples_stay_in_range_cover_the_choices_and_spread_in_log_space()
    {
        var space = SearchSpace.Parse(Space);
        var samples = Enumerable.Range(1, 400).Select(c => space.Sample(7, c)).ToList();
        double[] lr = samples.Select(s => s["learning_rate"]!.GetValue<double>()).ToArray();
        Assert.All(lr, v => Assert.InRange(v, 1e-4, 1e-2));
        // Log-uniform: about half below the geometric middle, 1e-3 (uniform would put 9% there).
        Assert.InRange(lr.Count(v => v < 1e-3) / 400.0, 0.4, 0.6);
        Assert.All(samples, s => Assert.InRange(s["label_smoothing"]!.GetValue<double>(), 0, 0.2));
        Assert.Equal([2, 3, 4], samples.Select(s => s["patience"]!.GetValue<int>()).Distinct().Order());
        Assert.Equal(["32", "64", "128"], samples.Select(s => s["batch_size"]!.ToJsonString()).Distinct().OrderBy(v => v.Length).ThenBy(v => v));
        Assert.Equal(3, samples.Select(s => s["augment"]?.ToJsonString() ?? "null").Distinct().Count());
        // Continuous values are rounded to 3 significant digits.
        Assert.All(lr, v => Assert.Equal(v, double.Parse(v.ToString("G3", System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void A_sample_lands_on_the_recipes_properties()
    {
        var space = SearchSpace.Parse(Space);
        var values = new JsonObject
        {
            ["learning_rate"] = 0.0042, ["batch_size"] = 64, ["label_smoothing"] = 0.1, ["patience"] = 3,
            ["optimizer"] = "sgd", ["augment"] = "flip", ["model"] = "mlp",
        };
        var recipe = space.Apply(new TrainingRecipe { Seed = 5, Normalize = true }, values);
        Assert.Equal((0.0042, 64, 0.1, 3, "sgd", "flip", "mlp"), (recipe.LearningRate, recipe.BatchSize, recipe.LabelSmoothing, recipe.Patience, recipe.Optimizer, recipe.Augment, recipe.Model));
        Assert.Equal((5, true), (recipe.Seed, recipe.Normalize)); // what the space does not name stays
        Assert.Null(space.Apply(recipe, new JsonObject { ["augment"] = null }).Augment);
    }
}
