using ImageClassifier.Imaging;

using static TorchSharp.torch;

namespace ImageClassifier.Data.Loading;

/// <summary>Batches of an <see cref="ImageDataset"/> held in memory: one tensor, indexed per batch.</summary>
public sealed class InMemoryBatchSource : IBatchSource, IDisposable
{
    readonly Tensor images, labels;

    public InMemoryBatchSource(ImageDataset data)
    {
        Dataset = data;
        var shape = data.Shape;
        images = tensor(data.Pixels, [data.Count, shape.Channels, shape.Height, shape.Width]);
        labels = tensor(data.Labels.Select(l => (long)l).ToArray());
    }

    public ImageDataset Dataset { get; }
    public string Name => Dataset.Name;
    public ImageShape Shape => Dataset.Shape;
    public IReadOnlyList<string> ClassNames => Dataset.ClassNames;
    public IReadOnlyList<int> Labels => Dataset.Labels;

    public IEnumerable<Batch> Batches(int batchSize, ISampler sampler, int epoch)
    {
        int[] order = sampler.Order(Dataset.Count, epoch);
        for (int start = 0; start < order.Length; start += batchSize)
        {
            using var indices = tensor(order.AsSpan(start, Math.Min(batchSize, order.Length - start)).ToArray().Select(i => (long)i).ToArray());
            yield return new Batch(images.index_select(0, indices), labels.index_select(0, indices));
        }
    }

    public void Dispose()
    {
        images.Dispose();
        labels.Dispose();
    }
}
