using System.Globalization;
using System.Text.Json;
using ImageClassifier.Models.Pretrained;
using ImageClassifier.Tests.TestSupport;

namespace ImageClassifier.Tests.Cli;

/// <summary>A small model trained with imgclass on a folder of real Fashion-MNIST PNGs, shared by the export tests.</summary>
public sealed class FolderTrainedModel : IDisposable
{
    readonly TempDirectory dir = new();

    public FolderTrainedModel()
    {
        Data = ImageFolders.FashionMnistPngs(dir.File("data"), [0, 1, 7, 8], perClass: 60);
        var train = CliRunner.Run("train", "--data", Data, "--image-size", "28", "--channels", "1", "--epochs", "2", "--batch-size", "16",
            "--output", dir.File("run"), "--threads", "2", "--no-report");
        if (train.ExitCode != 0) throw new InvalidOperationException("training the test model failed: " + train.Error);
    }

    public string Data { get; }
    public string ModelFile => dir.File("run/model.imgclass");
    public string Folder => dir.File("run");

    public void Dispose() => dir.Dispose();
}

/// <summary>imgclass export, and predict and evaluate running the exported file with ONNX Runtime.</summary>
public class ExportCommandTests(FolderTrainedModel trained) : IClassFixture<FolderTrainedModel>
{
    [Fact]
    public void An_exported_model_evaluates_and_predicts_as_the_model_file_does()
    {
        using var dir = new TempDirectory();
        var plain = CliRunner.Run("export", trained.Folder, "--format", "onnx");
        Assert.True(plain.ExitCode == 0, plain.Error);
        string plainFile = Path.Combine(trained.Folder, "model.onnx"); // beside the model file by default
        Assert.Contains($"Wrote {plainFile}", plain.Out);
        Assert.Contains("input input float32 [batch, 1, 28, 28]", plain.Out);
        string raw = dir.File("raw.onnx");
        var withPixels = CliRunner.Run("export", trained.ModelFile, "--include-preprocessing", "--softmax", "--output", raw, "--json");
        Assert.True(withPixels.ExitCode == 0, withPixels.Error);
        using (var json = JsonDocument.Parse(withPixels.Out))
        {
            Assert.Equal("pixels uint8 [batch, 1, 28, 28]", json.RootElement.GetProperty("input").GetString());
            Assert.Equal("probabilities [batch, 4]", json.RootElement.GetProperty("output").GetString());
        }

        // evaluate finds the training folder from the ONNX metadata, as it does from the model file
        var reference = Evaluate(trained.ModelFile);
        foreach (string onnx in new[] { plainFile, raw })
        {
            var exported = Evaluate(onnx);
            Assert.Equal(reference.Accuracy, exported.Accuracy);
            Assert.Equal(reference.Images, exported.Images);
            Assert.Equal(reference.LogLoss, exported.LogLoss, 4);
        }

        string test = Path.Combine(trained.Data, "test");
        foreach (string[] extra in new[] { Array.Empty<string>(), ["--tta", "flip"] })
        {
            var expected = PredictCsv(trained.ModelFile, test, extra);
            foreach (string onnx in new[] { plainFile, raw })
            {
                var actual = PredictCsv(onnx, test, extra);
                Assert.Equal(expected.Select(r => (r.Source, r.Class)), actual.Select(r => (r.Source, r.Class)));
                double worst = expected.Zip(actual, (e, a) => Math.Abs(e.Probability - a.Probability)).Max();
                Assert.True(worst <= 2e-6, $"{Path.GetFileName(onnx)} {string.Join(" ", extra)}: probabilities differ by up to {worst:E2}");
            }
        }
    }

    [SkippableFact]
    public void Cuda_without_the_gpu_build_of_onnx_runtime_is_a_clear_error()
    {
        Skip.If(Microsoft.ML.OnnxRuntime.OrtEnv.Instance().GetAvailableProviders().Contains("CUDAExecutionProvider"),
            "this build carries ONNX Runtime's CUDA provider: --device cuda is measured on a GPU machine instead");
        using var dir = new TempDirectory();
        string onnx = dir.File("model.onnx");
        Assert.Equal(0, CliRunner.Run("export", trained.ModelFile, "--output", onnx).ExitCode);
        string image = Directory.EnumerateFiles(Path.Combine(trained.Data, "test"), "*.png", SearchOption.AllDirectories).First();

        var cuda = CliRunner.Run("predict", onnx, image, "--device", "cuda");
        Assert.Equal(1, cuda.ExitCode);
        Assert.Contains("needs ONNX Runtime's CUDA build", cuda.Error);
        Assert.Contains("-p:OnnxRuntimeGpu=true", cuda.Error);
        Assert.DoesNotContain("   at ", cuda.Error);
        var auto = CliRunner.Run("predict", onnx, image, "--device", "auto", "--format", "csv");
        Assert.True(auto.ExitCode == 0, auto.Error); // auto falls back to the CPU
        var unknown = CliRunner.Run("predict", onnx, image, "--device", "tpu");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("--device: Unknown device 'tpu'", unknown.Error);
    }

    [Fact]
    public void Bad_models_and_options_are_clear_errors()
    {
        using var dir = new TempDirectory();
        string image = Directory.EnumerateFiles(Path.Combine(trained.Data, "test"), "*.png", SearchOption.AllDirectories).First();

        var missing = CliRunner.Run("export", dir.File("none.imgclass"));
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("none.imgclass: no such model file", missing.Error);

        var format = CliRunner.Run("export", trained.ModelFile, "--format", "tflite");
        Assert.NotEqual(0, format.ExitCode);
        Assert.Contains("tflite", format.Error);

        // an ONNX model that imgclass did not write (the package's ResNet18) has no class names to predict with
        var foreign = CliRunner.Run("predict", PackageFiles.Locate(PackageFiles.ResNet18), image);
        Assert.Equal(1, foreign.ExitCode);
        Assert.Contains("not an ONNX model exported by imgclass", foreign.Error);

        string damaged = dir.File("damaged.onnx");
        Assert.Equal(0, CliRunner.Run("export", trained.ModelFile, "--output", damaged).ExitCode);
        var bytes = File.ReadAllBytes(damaged);
        File.WriteAllBytes(damaged, bytes.AsSpan(0, bytes.Length / 2).ToArray());
        var broken = CliRunner.Run("evaluate", damaged);
        Assert.Equal(1, broken.ExitCode);
        Assert.Contains($"{damaged}: not a valid ONNX model, or it is damaged", broken.Error);

        var absent = CliRunner.Run("predict", dir.File("absent.onnx"), image);
        Assert.Equal(1, absent.ExitCode);
        Assert.Contains("absent.onnx: no such ONNX file", absent.Error);

        var report = CliRunner.Run("report", Path.Combine(trained.Folder, "model.onnx"));
        Assert.Equal(1, report.ExitCode);
        Assert.Contains("needs the imgclass model file", report.Error);
    }

    sealed record Evaluation(double Accuracy, int Images, double LogLoss);

    static Evaluation Evaluate(string model)
    {
        var result = CliRunner.Run("evaluate", model, "--json", "--threads", "2");
        Assert.True(result.ExitCode == 0, $"{model}: {result.Error}");
        using var json = JsonDocument.Parse(result.Out);
        var root = json.RootElement;
        return new Evaluation(root.GetProperty("accuracy").GetDouble(), root.GetProperty("images").GetInt32(), root.GetProperty("log_loss").GetDouble());
    }

    sealed record Row(string Source, string Class, double Probability);

    static List<Row> PredictCsv(string model, string folder, string[] extra)
    {
        var result = CliRunner.Run(["predict", model, folder, "--format", "csv", "--top", "1", "--threads", "2", .. extra]);
        Assert.True(result.ExitCode == 0, $"{model}: {result.Error}");
        return result.Out.Trim().Split('\n').Skip(1).Select(line => line.Split(','))
            .Select(f => new Row(f[0], f[2], double.Parse(f[3], CultureInfo.InvariantCulture))).ToList();
    }
}
