using System.Diagnostics;
using static TorchSharp.torch;

namespace ImageClassifier.Models;

/// <summary>One layer's share of a training step: milliseconds per batch for its forward and its backward pass.</summary>
public sealed record LayerTime(string Layer, double ForwardMilliseconds, double BackwardMilliseconds);

/// <summary>
/// Where a training step's time goes, layer by layer: each layer runs forward and backward alone, on the
/// activations the layers before it produce for a real batch, in training mode, and the median over rounds is
/// kept (a noisy machine moves single timings by tens of percent). The sum leaves out the optimiser and the
/// data pipeline. Weights stay as they were and gradients are cleared; batch-norm running statistics move as in
/// training steps. bench/pytorch_layer_profile.py times PyTorch's layers the same way. Layers run one at a time, so
/// SequentialNetwork's training rewrite (a relu moved past the max pooling after it) is not in these figures.
/// </summary>
public static class LayerProfiler
{
    public static IReadOnlyList<LayerTime> Profile(SequentialNetwork network, Tensor input, int rounds = 15)
    {
        if (rounds < 1) throw new ArgumentOutOfRangeException(nameof(rounds), "At least one round.");
        var times = network.Layers.Select(_ => (Forward: new List<double>(), Backward: new List<double>())).ToArray();
        bool training = network.training;
        network.train();
        try
        {
            for (int round = -2; round < rounds; round++) // two warm-up rounds: first-call allocations and kernel choice
            {
                using var scope = NewDisposeScope();
                var x = input;
                for (int i = 0; i < network.Layers.Count; i++)
                {
                    // The first layer's input needs no gradient, as in training; the others' do, as inside a network.
                    var layerInput = i == 0 ? x.detach() : x.detach().requires_grad_(x.is_floating_point());
                    var clock = Stopwatch.StartNew();
                    var output = network.Layers[i].Module.forward(layerInput);
                    double forward = clock.Elapsed.TotalMilliseconds;
                    clock.Restart();
                    if (output.requires_grad) output.backward([ones_like(output)]);
                    double backward = clock.Elapsed.TotalMilliseconds;
                    if (round >= 0) { times[i].Forward.Add(forward); times[i].Backward.Add(backward); }
                    x = output.detach();
                }
                network.zero_grad();
            }
        }
        finally
        {
            network.train(training);
        }
        return [.. network.Layers.Select((layer, i) => new LayerTime(layer.Name, Median(times[i].Forward), Median(times[i].Backward)))];
    }

    static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }
}
