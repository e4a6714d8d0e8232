using ImageClassifier.Models;
using static TorchSharp.torch;

namespace ImageClassifier.Tests.Models;

/// <summary>The per-layer profile behind `bench --profile`: every layer timed, the network left as it was.</summary>
public class LayerProfilerTests
{
    [Fact]
    public void It_times_every_layer_forward_and_backward_and_leaves_the_network_as_it_was()
    {
        manual_seed(4);
        using var classifier = Classifier.Create("tutorial-cnn", new(1, 28, 28), [.. Enumerable.Range(0, 10).Select(i => $"c{i}")]);
        classifier.Network.eval();
        using var before = classifier.Network.Layers[0].Module.parameters().First().clone();
        using var input = rand(16, 1, 28, 28);

        var profile = LayerProfiler.Profile(classifier.Network, input, rounds: 3);

        Assert.Equal(classifier.Network.Layers.Select(l => l.Name), profile.Select(t => t.Layer));
        Assert.All(profile, t => Assert.True(t.ForwardMilliseconds > 0 && t.BackwardMilliseconds >= 0, $"{t.Layer}: {t}"));
        // The convolutions' backward passes compute weight gradients: they cannot take no time.
        Assert.True(profile.Single(t => t.Layer == "conv2d_1").BackwardMilliseconds > 0);
        Assert.False(classifier.Network.training); // the mode it was in
        Assert.True(classifier.Network.parameters().All(p => p.grad is null || p.grad.count_nonzero().item<long>() == 0), "gradients left behind");
        Assert.True(classifier.Network.Layers[0].Module.parameters().First().allclose(before, rtol: 0, atol: 0), "profiling changed the weights");
        Assert.Throws<ArgumentOutOfRangeException>(() => LayerProfiler.Profile(classifier.Network, input, rounds: 0));
    }
}
