using ImageClassifier.Data;

namespace ImageClassifier.Reporting;

/// <summary>A grid of a dataset's images, each captioned with its class name.</summary>
public static class SampleGrid
{
    /// <summary>
    /// <paramref name="count"/> images picked by <see cref="Pick"/>, as PNG. <paramref name="columns"/>
    /// defaults to a square-ish grid.
    /// </summary>
    public static byte[] Render(ImageDataset data, int count = 25, int? columns = null, string? title = null) =>
        Render(data, Pick(data, count), columns, title);

    /// <summary>The images at <paramref name="indices"/>, in that order, as PNG.</summary>
    public static byte[] Render(ImageDataset data, IReadOnlyList<int> indices, int? columns = null, string? title = null)
    {
        var tiles = indices.Select(i => new GridTile(i, [new CaptionLine(data.ClassNames[data.Labels[i]], ReportColors.Text)])).ToArray();
        return ImageGrid.Render(data, title ?? $"{data.Name}: {tiles.Length} of {data.Count:N0} images", tiles, columns, "The dataset has no images.");
    }

    /// <summary>
    /// Up to <paramref name="count"/> indices taking each class in turn (its first images first), so
    /// that every class shows even when the data is sorted by class.
    /// </summary>
    public static IReadOnlyList<int> Pick(ImageDataset data, int count)
    {
        if (count < 0) throw new ArgumentException($"The number of samples cannot be negative ({count}).");
        var queues = Enumerable.Range(0, data.ClassCount).Select(_ => new Queue<int>()).ToArray();
        for (int i = 0; i < data.Count; i++) queues[data.Labels[i]].Enqueue(i);
        var picked = new List<int>(Math.Min(count, data.Count));
        while (picked.Count < count && queues.Any(q => q.Count > 0))
            foreach (var queue in queues)
                if (picked.Count < count && queue.TryDequeue(out int index)) picked.Add(index);
        return picked;
    }
}
