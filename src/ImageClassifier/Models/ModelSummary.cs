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

    /// <summary>
    /// The summary as Keras prints it (plain text, fixed-width columns). Keras' widths (34, 28, 16) grow
    /// to the longest entry, so a long layer name or shape never runs into the next column.
    /// </summary>
    public string ToText(string title = "Sequential")
    {
        var names = Rows.Select(r => $"{r.Name} ({r.Kind})").ToList();
        var parameters = Rows.Select(r => r.Parameters.ToString("N0")).ToList();
        int nameWidth = ColumnWidth(34, names), shapeWidth = ColumnWidth(28, Rows.Select(r => r.OutputShape));
        int parameterWidth = ColumnWidth(16, parameters), width = nameWidth + shapeWidth + parameterWidth;
        string Line(string name, string shape, string count) => name.PadRight(nameWidth) + shape.PadRight(shapeWidth) + count.PadLeft(parameterWidth);

        string rule = new('-', width), doubleRule = new('=', width);
        var lines = new List<string> { $"Model: \"{title}\"", rule, Line("Layer (type)", "Output Shape", "Param #"), doubleRule };
        lines.AddRange(Rows.Select((row, i) => Line(names[i], row.OutputShape, parameters[i])));
        lines.Add(doubleRule);
        lines.Add($"Total params: {Total:N0}");
        lines.Add($"Trainable params: {Trainable:N0}");
        lines.Add($"Non-trainable params: {NonTrainable:N0}");
        lines.Add(rule);
        return string.Join(Environment.NewLine, lines);
    }

    /// <summary>Keras' width for a column, or its longest entry and one space to the next column when that is wider.</summary>
    static int ColumnWidth(int keras, IEnumerable<string> entries) => Math.Max(keras, entries.Select(e => e.Length + 1).DefaultIfEmpty(0).Max());
}
