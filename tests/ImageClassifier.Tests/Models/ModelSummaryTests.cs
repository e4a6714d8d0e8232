using System.Text.RegularExpressions;
using ImageClassifier.Models;
using ImageClassifier.Models.Layers;

namespace ImageClassifier.Tests.Models;

/// <summary>The text table of ModelSummary.ToText: Keras' layout, its columns kept apart whatever the names.</summary>
public class ModelSummaryTests
{
    [Fact]
    public void A_long_layer_name_widens_its_column_and_every_row_stays_aligned_with_the_header()
    {
        using var network = new SequentialNetwork(new ModelSpec("t", [3, 8, 8], 2, [new Conv2D(8), new GlobalAveragePool(), new Dense(2)]));
        var lines = ModelSummary.Of(network).ToText().Split(Environment.NewLine);

        string header = lines[2];
        Assert.StartsWith("Layer (type)", header);
        int shapeColumn = header.IndexOf("Output Shape", StringComparison.Ordinal);
        var rows = lines[4..7];
        Assert.Contains(rows, r => r.StartsWith("global_average_pooling2d (GlobalAveragePooling2D) ", StringComparison.Ordinal));
        foreach (string row in rows)
        {
            // name (type), spaces, (None, ...), spaces, count: three columns with space between them.
            var columns = Regex.Match(row, @"^\S+ \(\w+\) +(?<shape>\(None[\d, ]*\)) +[\d,]+$");
            Assert.True(columns.Success, $"not three separate columns:\n{row}");
            Assert.True(columns.Groups["shape"].Index == shapeColumn, $"the shape does not start under the header's:\n{header}\n{row}");
            Assert.True(row.Length == header.Length, $"the parameter count does not end under the header's:\n{header}\n{row}");
        }
        Assert.All(new[] { lines[1], lines[3], lines[7], lines[^1] }, rule => Assert.Equal(header.Length, rule.Length));
    }

    [Fact]
    public void Short_names_keep_keras_widths()
    {
        using var network = new SequentialNetwork(ModelRegistry.Create("tutorial-cnn", [1, 28, 28], 10));
        var lines = ModelSummary.Of(network).ToText().Split(Environment.NewLine);

        Assert.Equal("Layer (type)".PadRight(34) + "Output Shape".PadRight(28) + "Param #".PadLeft(16), lines[2]);
        Assert.Equal("conv2d (Conv2D)".PadRight(34) + "(None, 26, 26, 32)".PadRight(28) + "320".PadLeft(16), lines[4]);
    }
}
