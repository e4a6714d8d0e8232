using ImageClassifier.Models;
using ImageClassifier.Models.Layers;
using ImageClassifier.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ImageClassifier.Tests.Training;

/// <summary>Stepping packed parameters against stepping each tensor on its own, as TorchSharp's optimizers do.</summary>
public class PackedParametersTests
{
    static SequentialNetwork Network()
    {
        manual_seed(5);
        return new SequentialNetwork(new ModelSpec("small", [1, 8, 8], 3,
            [new Conv2D(4, 3, Activation: "relu"), new MaxPool2D(), new Flatten(), new Dense(6, "relu"), new Dense(3)]));
    }

    [Theory]
    [InlineData("adam", false)]
    [InlineData("sgd", false)]
    [InlineData("adamw", true)]   // two groups at different rates, each packed on its own
    public void Packed_steps_move_every_tensor_as_separate_steps_do(string optimizer, bool discriminative)
    {
        var options = new TrainingOptions
        {
            Optimizer = optimizer, LearningRate = 0.05, Momentum = 0.9, Nesterov = true, WeightDecay = 1e-3,
            LearningRateMultipliers = discriminative ? new Dictionary<string, double> { ["layers.conv2d."] = 0.5 } : null,
        };
        using var separate = Network();
        using var packedNetwork = Network();
        using var input = randn(6, 1, 8, 8);
        using var separateOptimizer = Optimizers.Create(options, separate.named_parameters());
        using var packed = new PackedParameters(Optimizers.Groups(options, packedNetwork.named_parameters()));
        using var packedOptimizer = Optimizers.Create(options, packed.Groups);
        Assert.Equal(discriminative ? 2 : 1, packed.Groups.Count);
        Assert.All(packed.Groups, g => Assert.Single(g.Parameters));
        Assert.Equal(separateOptimizer.ParamGroups.Select(g => g.LearningRate), packedOptimizer.ParamGroups.Select(g => g.LearningRate));

        for (int step = 0; step < 4; step++)
        {
            using var scope = NewDisposeScope();
            separateOptimizer.zero_grad();
            separate.forward(input).square().mean().backward();
            separateOptimizer.step();

            packedOptimizer.zero_grad();
            if (step == 2) packedNetwork.zero_grad(); // sets every gradient to null: Relink must bring them back
            packedNetwork.forward(input).square().mean().backward();
            packed.Relink();
            packedOptimizer.step();
        }

        using var start = Network();
        foreach (var ((name, moved), (_, expected), (_, initial)) in packedNetwork.named_parameters().Zip(separate.named_parameters(), start.named_parameters()))
        {
            Assert.True(moved.allclose(expected, rtol: 1e-5, atol: 1e-6), $"{name} moved otherwise when packed");
            Assert.False(moved.allclose(initial), $"{name} did not move at all");
        }
    }

    [Fact]
    public void The_model_keeps_its_tensors_which_become_views_of_the_buffer()
    {
        using var network = Network();
        var before = network.parameters().Select(p => p.Handle).ToArray();
        using var weight = network.parameters().First().detach().clone();
        using var packed = new PackedParameters(Optimizers.Groups(new TrainingOptions(), network.named_parameters()));
        Assert.Equal(before, network.parameters().Select(p => p.Handle).ToArray());
        Assert.True(network.parameters().First().allclose(weight, rtol: 0, atol: 0), "packing changed a value");

        using (no_grad()) packed.Groups[0].Parameters[0].add_(1); // a step on the buffer is a step on each tensor
        Assert.True(network.parameters().First().allclose(weight + 1, rtol: 0, atol: 0), "the parameter is not a view of the buffer");
    }
}
