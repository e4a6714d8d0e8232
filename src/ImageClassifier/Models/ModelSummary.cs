using ImageClassifier.Models.Layers;
using TorchSharp;

namespace ImageClassifier.Models;

/// <summary>
/// Keras' model.summary(): one row per layer with its output shape and parameter count, and totals.
/// As in Keras, BatchNorm's moving mean and variance count as non-trainable parameters.
/// </summary>
public sealed record ModelSummary(IReadOnlyList<ModelSummary.Row> Rows, long Trainable, long NonTrainable)
{
    public sealed record Row(string Name, string Kind, string OutputShape, long Parameters);

    public long Total => Trainable + NonTrainable;

    public static ModelSummary Of(SequentialNetwork network)
    {
        long trainable = 0, frozen = 0;
        var rows = new List<Row>();
        foreach (var layer in network.Layers)
        {
            long layerTrainable = layer.Module.parameters().Where(p => p.requires_grad).Sum(p => p.numel());
            long layerFrozen = layer.Module.parameters().Where(p => !p.requires_grad).Sum(p => p.numel())
                + layer.Module.named_buffers().Where(b => !b.name.EndsWith("num_batches_tracked")).Sum(b => b.buffer.numel());
            trainable += layerTrainable;
            frozen += layerFrozen;
            rows.Add(new Row(layer.Name, layer.Spec.Kind, Shapes.Format(layer.OutputShape), layerTrainable + layerFrozen));
        }
        return new ModelSummary(rows, trainable, frozen);
    }

    /// <summary>The summary as Keras prints it (plain text, fixed-width columns).</summary>
    public string ToText(string title = "Sequential")
    {
        var lines = new List<string> { $"Model: \"{title}\"" };
        string rule = new('-', 78);
        lines.Add(rule);
        lines.Add($"{"Layer (type)",-34}{"Output Shape",-28}{"Param #",16}");
        lines.Add(new string('=', 78));
        foreach (var row in Rows)
            lines.Add($"{$"{row.Name} ({row.Kind})",-34}{row.OutputShape,-28}{row.Parameters,16:N0}");
        lines.Add(new string('=', 78));
        lines.Add($"Total params: {Total:N0}");
        lines.Add($"Trainable params: {Trainable:N0}");
        lines.Add($"Non-trainable params: {NonTrainable:N0}");
        lines.Add(rule);
        return string.Join(Environment.NewLine, lines);
    }
}
