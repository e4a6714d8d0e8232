using System.Text.Json;
using ImageClassifier.Models;
using ImageClassifier.Models.Layers;
using static TorchSharp.torch;

namespace ImageClassifier.Tests.Models;

public class SequentialNetworkTests
{
    [Theory]
    [InlineData(1, 28, 28, 93_322)]   // Keras' count for the tutorial CNN on Fashion-MNIST
    [InlineData(3, 32, 32, 122_570)]  // and on CIFAR-10
    public void Tutorial_cnn_has_the_parameter_count_keras_reports(int channels, int height, int width, long expected)
    {
        using var network = new SequentialNetwork(ModelRegistry.Create("tutorial-cnn", [channels, height, width], 10));
        var summary = ModelSummary.Of(network);
        Assert.Equal(expected, summary.Total);
        Assert.Equal(expected, summary.Trainable);
        Assert.Equal(0, summary.NonTrainable);
    }

    [Fact]
    public void Tutorial_cnn_summary_matches_keras_row_by_row()
    {
        using var network = new SequentialNetwork(ModelRegistry.Create("tutorial-cnn", [1, 28, 28], 10));
        var rows = ModelSummary.Of(network).Rows;
        Assert.Equal(
            [("conv2d", "(None, 26, 26, 32)", 320L), ("max_pooling2d", "(None, 13, 13, 32)", 0L),
             ("conv2d_1", "(None, 11, 11, 64)", 18_496L), ("max_pooling2d_1", "(None, 5, 5, 64)", 0L),
             ("conv2d_2", "(None, 3, 3, 64)", 36_928L), ("flatten", "(None, 576)", 0L),
             ("dense", "(None, 64)", 36_928L), ("dropout", "(None, 64)", 0L), ("dense_1", "(None, 10)", 650L)],
            rows.Select(r => (r.Name, r.OutputShape, r.Parameters)).ToArray());
        string text = ModelSummary.Of(network).ToText();
        Assert.Contains("Total params: 93,322", text);
        Assert.Contains("conv2d_1 (Conv2D)", text);
    }

    public static TheoryData<LayerSpec[], int[]> Stacks => new()
    {
        { [new Conv2D(8, 3, 2, "same", "relu"), new Flatten(), new Dense(3)], [1, 7, 7] },        // ceil(7/2) = 4
        { [new Conv2D(8, 5, 1, "same"), new MaxPool2D(3, 2), new GlobalAveragePool(), new Dense(3)], [3, 10, 12] },
        { [new Conv2D(4, 3), new BatchNorm(), new Activation("gelu"), new AvgPool2D(2), new Flatten(), new Dense(16, "tanh"), new BatchNorm(), new Dropout(0.3), new Dense(3)], [2, 9, 9] },
        { [new Conv2D(6, 4, 3, "same"), new Conv2D(6, 2, 2, "valid", "silu"), new Flatten(), new Dense(3)], [1, 16, 15] },
    };

    [Theory]
    [MemberData(nameof(Stacks))]
    public void Inferred_shapes_equal_the_shapes_the_network_produces(LayerSpec[] layers, int[] input)
    {
        using var network = new SequentialNetwork(new ModelSpec("test", input, 3, layers));
        network.eval();
        using var x = randn(2, input[0], input[1], input[2]);
        var current = x;
        foreach (var layer in network.Layers)
        {
            current = layer.Module.forward(current);
            Assert.Equal(layer.OutputShape.Select(d => (long)d).Prepend(2L).ToArray(), current.shape);
        }
        Assert.Equal([2L, 3L], network.forward(x).shape);
    }

    [Fact]
    public void Same_padding_with_stride_2_matches_keras_output_sizes()
    {
        using var network = new SequentialNetwork(new ModelSpec("t", [1, 7, 8], 2, [new Conv2D(2, 3, 2, "same"), new Flatten(), new Dense(2)]));
        Assert.Equal([2, 4, 4], network.Layers[0].OutputShape);
    }

    [Fact]
    public void Batch_norm_moving_statistics_count_as_non_trainable_like_keras()
    {
        using var network = new SequentialNetwork(new ModelSpec("t", [3, 8, 8], 2, [new Conv2D(8), new BatchNorm(), new GlobalAveragePool(), new Dense(2)]));
        var summary = ModelSummary.Of(network);
        Assert.Equal(32, summary.Rows[1].Parameters);
        Assert.Equal(16, summary.NonTrainable);
        Assert.Equal(3 * 3 * 3 * 8 + 8 + 16 + 8 * 2 + 2, summary.Trainable);
    }

    [Theory]
    [InlineData("Dense needs a vector input")]
    [InlineData("does not fit its input")]
    [InlineData("one score per class")]
    [InlineData("Unknown activation 'wiggle'")]
    public void Impossible_stacks_are_refused_with_a_clear_message(string expected)
    {
        LayerSpec[] layers = expected switch
        {
            "Dense needs a vector input" => [new Dense(10)],
            "does not fit its input" => [new Conv2D(4, 3), new MaxPool2D(2), new Conv2D(4, 3), new MaxPool2D(2), new Flatten(), new Dense(2)],
            "one score per class" => [new Flatten(), new Dense(5)],
            _ => [new Conv2D(4, 3, Activation: "wiggle"), new Flatten(), new Dense(2)],
        };
        var error = Assert.Throws<ModelException>(() => new SequentialNetwork(new ModelSpec("t", [1, 6, 6], 2, layers)));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Unknown_model_names_list_the_known_ones()
    {
        var error = Assert.Throws<ModelException>(() => ModelRegistry.Create("resnet999", [1, 28, 28], 10));
        Assert.Contains("tutorial-cnn", error.Message);
    }

    [Fact]
    public void Layer_specs_survive_a_json_round_trip()
    {
        var spec = ModelRegistry.Create("tutorial-cnn", [3, 32, 32], 10);
        string json = JsonSerializer.Serialize(spec);
        var back = JsonSerializer.Deserialize<ModelSpec>(json)!;
        Assert.Equal(spec.Layers, back.Layers);
        Assert.Equal(spec.InputShape, back.InputShape);
    }

    [Fact]
    public void In_training_a_relu_moved_past_max_pooling_gives_the_layer_by_layer_outputs_and_gradients()
    {
        manual_seed(11);
        // Both paths: the one-channel matrix multiply, then oneDNN's convolution; each relu'd and pooled.
        var spec = new ModelSpec("pairs", [1, 12, 12], 3,
            [new Conv2D(6, 3, Activation: "relu"), new MaxPool2D(), new Conv2D(8, 3, Activation: "relu"), new MaxPool2D(), new Flatten(), new Dense(3)]);
        using var network = new SequentialNetwork(spec);
        network.train();
        using var input = randn(5, 1, 12, 12);

        (Tensor Output, Tensor[] Gradients) Run(Func<Tensor> forward)
        {
            network.zero_grad();
            var output = forward();
            output.square().sum().backward();
            return (output.detach(), network.parameters().Select(p => p.grad!.clone()).ToArray());
        }

        var (fused, fusedGradients) = Run(() => network.forward(input));
        var (layered, layeredGradients) = Run(() => network.Forward(input, 0, network.Layers.Count));
        Assert.True(fused.allclose(layered, rtol: 1e-5, atol: 1e-6), "the moved relu changed the output");
        Assert.True(layered.abs().sum().item<float>() > 0, "the network output nothing but zeros: the check would hold by accident");
        foreach (var (moved, asBuilt) in fusedGradients.Zip(layeredGradients))
            Assert.True(moved.allclose(asBuilt, rtol: 1e-4, atol: 1e-6), "the moved relu changed a gradient");
    }
}
