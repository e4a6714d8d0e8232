using ImageClassifier.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace ImageClassifier.Evaluation.Explain;

/// <summary>A layer Grad-CAM can explain from: its name, module and feature-map shape [C, h, w] at the model's input size.</summary>
public sealed record TargetLayer(string Name, nn.Module<Tensor, Tensor> Module, long[] OutputShape);

/// <summary>
/// Finds the layers whose output is a feature map Grad-CAM can use: any module that is a 2-D
/// convolution or contains one, named as <c>named_modules()</c> names it (without the
/// Sequential's own "layers." prefix, so "conv2d_1", or "backbone.layer4" inside a nested
/// network). Which of them qualify is decided by running the model once on a blank image with a
/// hook on each: a layer qualifies when its hook fires with a 4-D output. That is generic over
/// any architecture, and it leaves out what the hooks cannot capture (a module that its parent
/// runs by <c>forward</c> rather than <c>call</c>, such as the bare convolution inside a Conv2D
/// layer, whose layer output is the one Keras' Grad-CAM uses anyway).
/// </summary>
public static class TargetLayers
{
    const string SequentialPrefix = "layers.";

    /// <summary>The model's candidate layers in the order the forward pass finishes them: the last is the default.</summary>
    public static IReadOnlyList<TargetLayer> Find(Classifier model)
    {
        var candidates = AllModules(model)
            .Where(m => m.Module is nn.Module<Tensor, Tensor> && ContainsConvolution(m.Module))
            .Select(m => (m.Name, Module: (nn.Module<Tensor, Tensor>)m.Module))
            .ToList();
        if (candidates.Count == 0) return [];

        var finished = new List<(string Name, nn.Module<Tensor, Tensor> Module, long[] Shape)>();
        var hooks = candidates.Select(c => c.Module.register_forward_hook((_, _, output) =>
        {
            finished.RemoveAll(f => f.Name == c.Name); // a module run twice counts where it last finished
            finished.Add((c.Name, c.Module, output.shape));
            return null!;
        })).ToList();
        try
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            model.Network.eval();
            var shape = model.InputShape;
            var blank = zeros([1, shape.Channels, shape.Height, shape.Width], ScalarType.Byte, model.Device);
            model.Network.call(model.Preprocessing.Apply(blank));
        }
        finally
        {
            hooks.ForEach(h => h.remove());
        }
        return finished.Where(f => f.Shape.Length == 4).Select(f => new TargetLayer(f.Name, f.Module, f.Shape[1..])).ToList();
    }

    /// <summary>Every module of the network by its display name (the names an unknown-layer error may mention).</summary>
    public static IEnumerable<(string Name, nn.Module Module)> AllModules(Classifier model) =>
        model.Network.named_modules()
            .Where(m => m.name != SequentialPrefix.TrimEnd('.'))
            .Select(m => (m.name.StartsWith(SequentialPrefix, StringComparison.Ordinal) ? m.name[SequentialPrefix.Length..] : m.name, m.module));

    static bool ContainsConvolution(nn.Module module) =>
        module is TorchSharp.Modules.Conv2d || module.modules().Any(m => m is TorchSharp.Modules.Conv2d);
}
