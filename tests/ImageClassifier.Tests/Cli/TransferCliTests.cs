using System.Text.Json;
using ImageClassifier.Engine;
using ImageClassifier.Models.ResNet;
using ImageClassifier.Tests.TestSupport;
using TorchSharp.PyBridge;

namespace ImageClassifier.Tests.Cli;

/// <summary>imgclass train --pretrained/--weights, summary and bench --pretrained, in-process on small real data.</summary>
public class TransferCliTests
{
    [Trait("Category", "Slow")] // ResNet18 trained in two stages: about 10 s on 2 cores
    [Fact]
    public void Two_stages_from_the_command_line_with_summary_counts_for_each()
    {
        using var dir = new TempDirectory();
        string data = ImageFolders.FashionMnistPngs(dir.File("data"), [1, 8], perClass: 24);   // Trouser, Bag
        string output = dir.File("run");
        var train = CliRunner.Run("train", "--data", data, "--pretrained", "resnet18-imagenet", "--image-size", "32",
            "--freeze-epochs", "3", "--fine-tune-epochs", "1", "--fine-tune-lr", "1e-5", "--fine-tune-at", "layer4",
            "--batch-size", "16", "--validation-split", "0.25", "--output", output, "--json", "--threads", "2");
        Assert.True(train.ExitCode == 0, train.Error);
        using var json = JsonDocument.Parse(train.Out);
        var stages = json.RootElement.GetProperty("stages");
        Assert.Equal(2, stages.GetArrayLength());
        var (head, fine) = (stages[0], stages[1]);
        Assert.Equal(("head", "dense"), (head.GetProperty("stage").GetString(), head.GetProperty("trainable_from").GetString()));
        Assert.Equal(("fine-tune", "layer4"), (fine.GetProperty("stage").GetString(), fine.GetProperty("trainable_from").GetString()));
        long headTrainable = head.GetProperty("trainable_params").GetInt64(), fineTrainable = fine.GetProperty("trainable_params").GetInt64();
        Assert.Equal(256 * 512 + 256 + 2 * 256 + 2, headTrainable);   // the new head only: Dense(256) and Dense(2)
        Assert.True(fineTrainable > 7_000_000, $"{fineTrainable}");    // plus layer4's three blocks
        Assert.Equal(head.GetProperty("trainable_params").GetInt64() + head.GetProperty("non_trainable_params").GetInt64(),
            fine.GetProperty("trainable_params").GetInt64() + fine.GetProperty("non_trainable_params").GetInt64());
        Assert.True(head.GetProperty("feature_images_per_s").GetDouble() > 0);
        Assert.Contains("Stage 1, head only", train.Error);
        Assert.True(File.Exists(Path.Combine(output, "history.csv")) && File.Exists(Path.Combine(output, "fine-tune-history.csv")));
        Assert.True(json.RootElement.GetProperty("test_accuracy").GetDouble() > 0.8, train.Out);

        // The saved model needs no pretrained files: its layers, preprocessing and mean image are in it.
        var summary = CliRunner.Run("summary", Path.Combine(output, "model.imgclass"), "--json");
        Assert.True(summary.ExitCode == 0, summary.Error);
        using var counts = JsonDocument.Parse(summary.Out);
        Assert.Equal(fineTrainable, counts.RootElement.GetProperty("trainable_params").GetInt64());
        Assert.Equal("layer4", counts.RootElement.GetProperty("trainable_from").GetString());
        Assert.Contains("Trainable from: layer4", CliRunner.Run("summary", output).Out);

        // A 28x28 grayscale PNG is read as colour and resized to the model's 32x32.
        var predict = CliRunner.Run("predict", output, Path.Combine(data, "test", "Bag"), "--json");
        Assert.True(predict.ExitCode == 0, predict.Error);
        using var predictions = JsonDocument.Parse(predict.Out);
        Assert.Equal(6, predictions.RootElement.GetArrayLength());
        var evaluate = CliRunner.Run("evaluate", output, "--json");
        Assert.True(evaluate.ExitCode == 0, evaluate.Error);
    }

    [Trait("Category", "Slow")] // ResNet18 at 32 px, every layer trained: about 10 s on 2 cores
    [Fact]
    public void The_fine_tune_preset_trains_every_layer_with_batch_norm_learning_and_augmented_batches()
    {
        using var dir = new TempDirectory();
        string data = ImageFolders.FashionMnistPngs(dir.File("data"), [1, 8], perClass: 24);   // Trouser, Bag
        var train = CliRunner.Run("train", "--data", data, "--preset", "fine-tune", "--image-size", "32", "--freeze-epochs", "1",
            "--fine-tune-epochs", "2", "--batch-size", "16", "--validation-split", "0.25", "--output", dir.File("run"), "--json", "--threads", "2");
        Assert.True(train.ExitCode == 0, train.Error);
        Assert.Contains("Stage 2, fine-tuning from the first layer", train.Error);
        Assert.DoesNotContain("batch norm in inference mode", train.Error);
        Assert.Contains("Augmentation: flip(horizontal), crop(pad 12), erase", train.Error);
        Assert.Equal(ComputePrecision.NativeBFloat16, train.Error.Contains("compute in bfloat16"));
        using var json = JsonDocument.Parse(train.Out);
        var fine = json.RootElement.GetProperty("stages")[1];
        Assert.True(fine.GetProperty("trainable_params").GetInt64() > 11_000_000, fine.ToString());
        Assert.True(json.RootElement.GetProperty("test_accuracy").GetDouble() > 0.8, train.Out);
    }

    [Fact]
    public void Grayscale_idx_data_trains_a_colour_model_through_the_batch_loop()
    {
        using var dir = new TempDirectory();
        IdxFiles.WriteDataset(dir.File("idx"), train: 24, test: 8, classes: 2);
        var train = CliRunner.Run("train", "--data", dir.File("idx"), "--pretrained", "resnet18-imagenet", "--image-size", "32",
            "--epochs", "1", "--no-feature-cache", "--validation-split", "0", "--batch-size", "8", "--output", dir.File("run"), "--json");
        Assert.True(train.ExitCode == 0, train.Error);
        Assert.Contains("28x28x1", train.Error);   // the data stays grayscale 28x28; batches are adapted as they are drawn
    }

    [Fact]
    public void Bad_transfer_options_are_clear_errors_before_any_training()
    {
        using var dir = new TempDirectory();
        string data = ImageFolders.FashionMnistPngs(dir.File("data"), [1, 8], perClass: 4);
        var unknown = CliRunner.Run("train", "--data", data, "--pretrained", "resnet18-imagenet", "--image-size", "32",
            "--fine-tune-epochs", "1", "--fine-tune-at", "layer9", "--output", dir.File("run"));
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("no layer named 'layer9'", unknown.Error);
        Assert.Contains("2: layer1, 3: layer2, 4: layer3, 5: layer4, 6: dense, 7: dense_1", unknown.Error);
        Assert.DoesNotContain("Epoch", unknown.Error + unknown.Out);

        // The library says "Freeze epochs"; the CLI names its option.
        var zero = CliRunner.Run("train", "--data", data, "--pretrained", "resnet18-imagenet", "--image-size", "32", "--freeze-epochs", "0", "--output", dir.File("run0"));
        Assert.Equal(1, zero.ExitCode);
        Assert.Contains("error: --freeze-epochs must be at least 1, not 0.", zero.Error);

        string weights = dir.File("small.safetensors");
        using (var module = new ResNetModule(new ResNetBackbone([2, 2, 2, 2], [32, 64, 128, 256]), 3)) module.save_safetensors(weights);
        var mismatch = CliRunner.Run("train", "--data", data, "--model", "resnet18", "--weights", weights, "--image-size", "32", "--output", dir.File("run2"));
        Assert.Equal(1, mismatch.ExitCode);
        Assert.Contains("conv1.weight is [32, 3, 7, 7], expected [64, 3, 7, 7]", mismatch.Error);
        Assert.DoesNotContain("unexpected", mismatch.Error);   // a clear message, not a crash report

        var unknownName = CliRunner.Run("train", "--data", data, "--pretrained", "resnet99-imagenet", "--output", dir.File("run3"));
        Assert.Contains("Unknown pretrained model 'resnet99-imagenet'. Known: resnet18-imagenet", unknownName.Error);
    }

    [Fact]
    public void Bench_pretrained_prints_feature_and_fine_tuning_images_per_second()
    {
        using var dir = new TempDirectory();
        string data = ImageFolders.FashionMnistPngs(dir.File("data"), [1, 8], perClass: 4);
        var bench = CliRunner.Run("bench", "--pretrained", "resnet18-imagenet", "--data", data, "--sizes", "32", "--images", "8", "--batch-size", "4", "--json");
        Assert.True(bench.ExitCode == 0, bench.Error);
        using var json = JsonDocument.Parse(bench.Out);
        foreach (string key in new[] { "features_32_images_per_s", "finetune_32_images_per_s" })
            Assert.True(json.RootElement.GetProperty(key).GetDouble() > 0, key);
        // A pretrained backbone computes in bfloat16 by default where the CPU has it natively.
        Assert.Equal(ComputePrecision.NativeBFloat16 ? "bfloat16" : "float32", json.RootElement.GetProperty("precision").GetString());
    }
}
