using TorchSharp;

namespace ImageClassifier.Models;

/// <summary>A part of a network that can be frozen or trained: a backbone stage or a layer with weights.</summary>
public sealed record NetworkPart(int Index, string Name, string KeyPrefix, torch.nn.Module Module);

/// <summary>
/// Freezing for transfer learning and fine-tuning: everything before a named part (or index) gets
/// requires_grad = false, everything from it onward is trained. The choice is kept in the spec
/// (TrainableFrom), so a saved model reloads with the same parts frozen.
/// </summary>
public static class Freezing
{
    /// <summary>
    /// The parts in forward order: each backbone's stages (conv1, bn1, layer1.. or features.N) and
    /// every other layer that has weights (dense, dense_1, ...). Parameter-free layers are left out.
    /// </summary>
    public static IReadOnlyList<NetworkPart> Parts(this SequentialNetwork network)
    {
        var parts = new List<NetworkPart>();
        foreach (var layer in network.Layers)
        {
            string prefix = SequentialNetwork.KeyPrefix(layer);
            if (layer.Module is IStagedModule staged)
                foreach (var (name, module) in staged.Stages)
                    parts.Add(new NetworkPart(parts.Count, name, prefix + name + ".", module));
            else if (layer.Module.parameters().Any())
                parts.Add(new NetworkPart(parts.Count, layer.Name, prefix, layer.Module));
        }
        return parts;
    }

    /// <summary>
    /// Trains <paramref name="target"/> and everything after it, freezing everything before: a part
    /// name (layer3, dense), a deeper module name (layer4.1, features.24), or a part index. Null or
    /// "all" makes the whole network trainable.
    /// </summary>
    public static void SetTrainableFrom(this SequentialNetwork network, string? target)
    {
        var parameters = network.named_parameters().ToList();
        int boundary = 0;
        string? canonical = null;
        if (target is not null && !target.Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            var (name, prefix) = Resolve(network, target.Trim());
            boundary = parameters.FindIndex(p => p.name.StartsWith(prefix, StringComparison.Ordinal));
            if (boundary < 0) throw new ModelException($"'{target}' has no weights to train; name a part that has: {Listing(network)}.");
            canonical = name;
        }
        for (int i = 0; i < parameters.Count; i++) parameters[i].parameter.requires_grad = i >= boundary;
        network.Spec = network.Spec with { TrainableFrom = canonical };
    }

    /// <summary>Keeps every BatchNorm layer in inference mode in training (or not); kept in the spec.</summary>
    public static void SetBatchNormInference(this SequentialNetwork network, bool inference) =>
        network.Spec = network.Spec with { BatchNormInference = inference };

    /// <summary>Throws the listing error now if <paramref name="target"/> names no part, before any training is spent.</summary>
    public static void CheckPartName(this SequentialNetwork network, string? target)
    {
        if (target is not null && !target.Equals("all", StringComparison.OrdinalIgnoreCase)) Resolve(network, target.Trim());
    }

    /// <summary>The module called <paramref name="name"/>: a part (layer4), a deeper torchvision name (layer4.1.conv2) or a full one.</summary>
    public static torch.nn.Module FindModule(this SequentialNetwork network, string name)
    {
        var (_, prefix) = Resolve(network, name);
        string full = prefix.TrimEnd('.');
        return network.named_modules().First(m => m.name == full).module;
    }

    static (string Name, string KeyPrefix) Resolve(SequentialNetwork network, string target)
    {
        var parts = network.Parts();
        if (int.TryParse(target, out int index))
        {
            if (index < 0 || index >= parts.Count)
                throw new ModelException($"Part index {index} is out of range: the model has {parts.Count} parts with weights: {Listing(network)}.");
            return (parts[index].Name, parts[index].KeyPrefix);
        }
        var part = parts.FirstOrDefault(p => p.Name.Equals(target, StringComparison.OrdinalIgnoreCase));
        if (part is not null) return (part.Name, part.KeyPrefix);
        var matches = network.named_modules().Select(m => m.name)
            .Where(n => n == target || n == "layers." + target || n.EndsWith("." + target, StringComparison.Ordinal)).ToList();
        if (matches.Count == 1) return (target, matches[0] + ".");
        if (matches.Count > 1) throw new ModelException($"'{target}' names {matches.Count} modules ({string.Join(", ", matches.Take(5))}); give the full name.");
        throw new ModelException($"The model has no layer named '{target}'. Its parts with weights (index: name): {Listing(network)}.");
    }

    static string Listing(SequentialNetwork network) =>
        string.Join(", ", network.Parts().Select(p => $"{p.Index}: {p.Name}"));
}
