using ImageClassifier.Data;
using ImageClassifier.Imaging;
using ImageClassifier.Models;
using ImageClassifier.Serialization;
using ImageClassifier.Tests.TestSupport;
using ImageClassifier.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ImageClassifier.Tests.Models;

/// <summary>Freezing and fine-tuning: which parameters train, frozen BatchNorm in inference mode, counts in the summary.</summary>
public class FreezingTests
{
    static Classifier SmallResNet() => Classifier.Create("resnet-small", new ImageShape(3, 16, 16), ["a", "b"]);

    static ImageDataset Colour(int count)
    {
        var rng = new Random(3);
        var pixels = new byte[count * 3 * 16 * 16];
        rng.NextBytes(pixels);
        return new ImageDataset("noise", new ImageShape(3, 16, 16), ["a", "b"], pixels, Enumerable.Range(0, count).Select(i => i % 2).ToArray());
    }

    static long Count(SequentialNetwork network, string prefix, bool? trainable = null) => network.named_parameters()
        .Where(p => p.name.StartsWith(prefix) && (trainable is null || p.parameter.requires_grad == trainable)).Sum(p => p.parameter.numel());

    [Fact]
    public void A_frozen_base_keeps_its_weights_and_batch_norm_statistics_through_a_training_epoch()
    {
        using var model = SmallResNet();
        model.Network.SetTrainableFrom("dense");
        var before = model.Network.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        model.Fit(Colour(64), options: new TrainingOptions { Epochs = 1, BatchSize = 16 });
        var after = model.Network.state_dict();
        foreach (var (name, tensor) in before)
        {
            bool same = tensor.equal(after[name]).all().item<bool>();
            if (name.StartsWith("layers.resnet.")) Assert.True(same, $"{name} changed although frozen");
            else if (name.StartsWith("layers.dense.")) Assert.False(same, $"{name} did not train");
        }

        // The contrast: trainable batch norm updates its running statistics in training mode.
        model.Network.SetTrainableFrom(null);
        model.Fit(Colour(64), options: new TrainingOptions { Epochs = 1, BatchSize = 16 });
        Assert.False(before["layers.resnet.bn1.running_mean"].equal(model.Network.state_dict()["layers.resnet.bn1.running_mean"]).all().item<bool>());
    }

    [Fact]
    public void Batch_norm_in_inference_mode_trains_its_scale_but_keeps_its_statistics()
    {
        using var model = SmallResNet();
        model.Network.SetBatchNormInference(true);   // as FineTuning's stage 2 does by default
        var before = model.Network.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        model.Fit(Colour(32), options: new TrainingOptions { Epochs = 1, BatchSize = 16 });
        var after = model.Network.state_dict();
        Assert.True(before["layers.resnet.bn1.running_mean"].equal(after["layers.resnet.bn1.running_mean"]).all().item<bool>());
        Assert.False(before["layers.resnet.bn1.weight"].equal(after["layers.resnet.bn1.weight"]).all().item<bool>());

        using var dir = new TempDirectory();
        model.Save(dir.File("m.imgclass"));
        using var loaded = ModelFile.Load(dir.File("m.imgclass"));
        Assert.True(loaded.Spec.BatchNormInference);
    }

    [Fact]
    public void Summary_counts_follow_each_stage_and_survive_the_model_file()
    {
        using var model = SmallResNet();
        var network = model.Network;
        long all = Count(network, ""), head = Count(network, "layers.dense.");
        long statistics = network.named_buffers().Where(b => !b.name.EndsWith("num_batches_tracked")).Sum(b => b.buffer.numel());
        Assert.Equal((all, statistics), (model.Summary().Trainable, model.Summary().NonTrainable));

        network.SetTrainableFrom("dense");   // stage 1: head only
        Assert.Equal((head, all - head + statistics), (model.Summary().Trainable, model.Summary().NonTrainable));

        network.SetTrainableFrom("layer3");  // stage 2: fine-tune from layer3 onward
        long layer3 = Count(network, "layers.resnet.layer3.");
        Assert.Equal((layer3 + head, all - layer3 - head + statistics), (model.Summary().Trainable, model.Summary().NonTrainable));
        Assert.Equal(layer3 + head, Count(network, "", trainable: true));

        using var dir = new TempDirectory();
        model.Save(dir.File("m.imgclass"));
        using var loaded = ModelFile.Load(dir.File("m.imgclass"));
        Assert.Equal("layer3", loaded.Spec.TrainableFrom);
        Assert.Equal(model.Summary().Trainable, loaded.Summary().Trainable);
    }

    [Fact]
    public void Parts_are_named_like_torchvision_and_can_be_given_by_index_or_deeper_name()
    {
        using var model = Classifier.Create("resnet18", new ImageShape(3, 32, 32), ["a", "b"]);
        Assert.Equal(["conv1", "bn1", "layer1", "layer2", "layer3", "layer4", "dense"], model.Network.Parts().Select(p => p.Name));
        model.Network.SetTrainableFrom("4");
        Assert.Equal("layer3", model.Spec.TrainableFrom);
        Assert.False(model.Network.FindModule("layer2.1.conv2").parameters().First().requires_grad);
        Assert.True(model.Network.FindModule("layer3.0.conv1").parameters().First().requires_grad);
        model.Network.SetTrainableFrom("layer4.1");
        Assert.DoesNotContain(model.Network.FindModule("layer4.0").parameters(), p => p.requires_grad);
        Assert.True(model.Network.FindModule("layer4.1").parameters().All(p => p.requires_grad));
    }

    [Fact]
    public void An_unknown_layer_to_fine_tune_from_lists_the_layer_names()
    {
        using var model = SmallResNet();
        var error = Assert.Throws<ModelException>(() => model.Network.SetTrainableFrom("layer9"));
        Assert.Contains("no layer named 'layer9'", error.Message);
        Assert.Contains("0: conv1, 1: bn1, 2: layer1, 3: layer2, 4: layer3, 5: dense", error.Message);
        Assert.Contains("out of range", Assert.Throws<ModelException>(() => model.Network.SetTrainableFrom("17")).Message);
        // The two-stage trainer checks the name before spending any time training.
        var stages = new FineTuningOptions { FreezeEpochs = 1, FineTuneEpochs = 1, FineTuneAt = "layer9" };
        Assert.Throws<ModelException>(() => FineTuning.Train(model, Colour(8), null, new TrainingOptions(), stages, _ => []));
    }

    [Fact]
    public void Discriminative_rates_lower_each_earlier_stage()
    {
        using var model = SmallResNet();
        model.Network.SetTrainableFrom("layer2");
        var multipliers = FineTuning.DiscriminativeMultipliers(model.Network, 0.5);
        Assert.Equal(new Dictionary<string, double> { ["layers.resnet.layer2."] = 0.25, ["layers.resnet.layer3."] = 0.5 }, multipliers);
        var options = new TrainingOptions { LearningRate = 1e-3, LearningRateMultipliers = multipliers };
        using var optimizer = Optimizers.Create(options, model.Network.named_parameters().Where(p => p.parameter.requires_grad));
        Assert.Equal([1e-3, 5e-4, 2.5e-4], optimizer.ParamGroups.Select(g => g.LearningRate).ToArray());
        Optimizers.SetLearningRate(optimizer, 1e-4);   // a schedule scales all groups alike
        Assert.Equal([1e-4, 5e-5, 2.5e-5], optimizer.ParamGroups.Select(g => Math.Round(g.LearningRate, 12)).ToArray());
    }
}
