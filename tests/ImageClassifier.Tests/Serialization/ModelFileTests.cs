using System.IO.Compression;
using ImageClassifier.Data;
using ImageClassifier.Imaging;
using ImageClassifier.Models;
using ImageClassifier.Serialization;
using ImageClassifier.Tests.TestSupport;
using ImageClassifier.Training;
using static TorchSharp.torch;

namespace ImageClassifier.Tests.Serialization;

public class ModelFileTests
{
    static Classifier TrainedModel()
    {
        manual_seed(3);
        var model = Classifier.Create("tutorial-cnn", new ImageShape(1, 28, 28), Enumerable.Range(0, 10).Select(i => $"c{i}").ToArray(),
            new ImageClassifier.Imaging.Preprocessing(1 / 255f, [0.5f], [0.25f]));
        var pixels = new byte[64 * 784];
        new Random(1).NextBytes(pixels);
        var data = new ImageDataset("noise", new ImageShape(1, 28, 28), model.ClassNames, pixels, Enumerable.Range(0, 64).Select(i => i % 10).ToArray());
        model.Fit(data, options: new TrainingOptions { Epochs = 1, BatchSize = 16 });
        return model;
    }

    [Fact]
    public void Round_trip_gives_identical_predictions_and_metadata()
    {
        using var dir = new TempDirectory();
        using var model = TrainedModel();
        model.Training = new TrainingSummary("noise", 64, 0, 1, 1, "adam", 1e-3, 16, 42, 1.5, new() { ["loss"] = 2.3 }, TestAccuracy: 0.1);
        string path = dir.File("m/model.imgclass");
        model.Save(path);
        using var loaded = ModelFile.Load(path);

        using var input = randint(0, 256, [5, 1, 28, 28]).to_type(ScalarType.Byte);
        using var expected = model.PredictProbabilities(input);
        using var actual = loaded.PredictProbabilities(input);
        Assert.True(expected.eq(actual).all().item<bool>(), "predictions differ after a round trip");
        Assert.Equal(model.ClassNames, loaded.ClassNames);
        Assert.Equal(model.Spec.Layers, loaded.Spec.Layers);
        Assert.Equal([0.5f], loaded.Preprocessing.Mean!);
        Assert.Equal(0.1, loaded.Training!.TestAccuracy);
        Assert.Empty(Directory.GetFiles(dir.File("m"), "*.tmp"));
    }

    [Fact]
    public void A_folder_with_a_model_in_it_loads()
    {
        using var dir = new TempDirectory();
        using var model = Classifier.Create("mlp", new ImageShape(1, 8, 8), ["a", "b"]);
        model.Save(dir.File("model.imgclass"));
        using var loaded = ModelFile.Load(dir.Path);
        Assert.Equal(["a", "b"], loaded.ClassNames);
    }

    [Fact]
    public void Missing_corrupt_and_foreign_files_get_clear_errors()
    {
        using var dir = new TempDirectory();
        Assert.Contains("no such model file", Assert.Throws<ModelFileException>(() => ModelFile.Load(dir.File("nope.imgclass"))).Message);

        File.WriteAllBytes(dir.File("random.imgclass"), Enumerable.Range(0, 500).Select(i => (byte)(i * 7)).ToArray());
        Assert.Contains("not a zip archive", Assert.Throws<ModelFileException>(() => ModelFile.Load(dir.File("random.imgclass"))).Message);

        using var model = Classifier.Create("mlp", new ImageShape(1, 8, 8), ["a", "b"]);
        model.Save(dir.File("good.imgclass"));
        byte[] good = File.ReadAllBytes(dir.File("good.imgclass"));
        File.WriteAllBytes(dir.File("truncated.imgclass"), good[..(good.Length / 2)]);
        var truncated = Assert.Throws<ModelFileException>(() => ModelFile.Load(dir.File("truncated.imgclass")));
        Assert.Contains("truncated.imgclass", truncated.Message);

        using (var zip = ZipFile.Open(dir.File("other.zip"), ZipArchiveMode.Create))
            zip.CreateEntry("readme.txt");
        Assert.Contains("no model.json", Assert.Throws<ModelFileException>(() => ModelFile.Load(dir.File("other.zip"))).Message);
    }

    [Fact]
    public void A_newer_format_version_asks_for_an_upgrade()
    {
        using var dir = new TempDirectory();
        using var model = Classifier.Create("mlp", new ImageShape(1, 8, 8), ["a", "b"]);
        string path = dir.File("future.imgclass");
        model.Save(path);
        RewriteMetadata(path, json => json.Replace("\"version\": 2", "\"version\": 99"));
        var error = Assert.Throws<ModelFileException>(() => ModelFile.Load(path));
        Assert.Contains("newer ImageClassifier (model format 99)", error.Message);
    }

    [Fact]
    public void Weights_that_do_not_fit_the_architecture_are_reported()
    {
        using var dir = new TempDirectory();
        using var model = Classifier.Create("mlp", new ImageShape(1, 8, 8), ["a", "b"]);
        string path = dir.File("mismatch.imgclass");
        model.Save(path);
        RewriteMetadata(path, json => json.Replace("\"units\": 128", "\"units\": 64"));
        var error = Assert.Throws<ModelFileException>(() => ModelFile.Load(path));
        Assert.Contains("weights do not match its architecture", error.Message);
    }

    // Edits model.json and records its new checksum, so that the check under test is the one that fires.
    static void RewriteMetadata(string path, Func<string, string> edit) =>
        ImageClassifier.Tests.Reliability.ModelFileIntegrityTests.Rewrite(path, json: json =>
        {
            string edited = edit(json);
            Assert.NotEqual(json, edited);
            return edited;
        });
}
