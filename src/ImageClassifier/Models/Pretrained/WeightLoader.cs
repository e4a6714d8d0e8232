using TorchSharp;
using static TorchSharp.torch;

namespace ImageClassifier.Models.Pretrained;

/// <summary>
/// Copies a state dict into a module after checking that names and shapes match exactly; on a
/// mismatch, the error lists the missing, unexpected and wrongly shaped keys with the shapes the
/// architecture expects. BatchNorm's num_batches_tracked is optional (many exports omit it), and
/// keys under <c>ignoredPrefixes</c> (a classifier head such as fc. or classifier.) are skipped.
/// </summary>
public static class WeightLoader
{
    const int Shown = 12;

    public static void Load(nn.Module module, IReadOnlyDictionary<string, Tensor> weights, string source, params string[] ignoredPrefixes)
    {
        var target = module.state_dict();
        var missing = target.Keys.Where(k => !weights.ContainsKey(k) && !k.EndsWith("num_batches_tracked", StringComparison.Ordinal)).ToList();
        var unexpected = weights.Keys.Where(k => !target.ContainsKey(k) && !ignoredPrefixes.Any(p => k.StartsWith(p, StringComparison.Ordinal))).ToList();
        var misshapen = weights.Where(kv => target.TryGetValue(kv.Key, out var t) && !t.shape.SequenceEqual(kv.Value.shape)).Select(kv => kv.Key).ToList();
        if (missing.Count + unexpected.Count + misshapen.Count > 0)
        {
            var lines = new List<string> { $"{source}: the weights do not match the architecture." };
            if (missing.Count > 0) lines.Add($"Missing ({missing.Count}): " + List(missing, k => $"{k} {Shape(target[k])}"));
            if (unexpected.Count > 0) lines.Add($"Unexpected ({unexpected.Count}): " + List(unexpected, k => $"{k} {Shape(weights[k])}"));
            if (misshapen.Count > 0) lines.Add($"Wrong shape ({misshapen.Count}): " + List(misshapen, k => $"{k} is {Shape(weights[k])}, expected {Shape(target[k])}"));
            throw new ModelException(string.Join(Environment.NewLine, lines));
        }
        using var noGrad = no_grad();
        foreach (var (name, tensor) in target)
            if (weights.TryGetValue(name, out var value))
                tensor.copy_(value);   // copy_ converts the dtype (e.g. float16 exports)
    }

    static string List(List<string> keys, Func<string, string> describe) =>
        string.Join(", ", keys.Take(Shown).Select(describe)) + (keys.Count > Shown ? $", ... and {keys.Count - Shown} more" : "");

    static string Shape(Tensor t) => "[" + string.Join(", ", t.shape) + "]";
}
