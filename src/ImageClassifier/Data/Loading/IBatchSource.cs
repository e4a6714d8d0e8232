using ImageClassifier.Imaging;

using static TorchSharp.torch;

namespace ImageClassifier.Data.Loading;

/// <summary>
/// Where training batches come from: a dataset in memory (<see cref="InMemoryBatchSource"/>) or one
/// streamed from files. Batches hold uint8 images [B, C, H, W] and int64 labels [B] on the CPU;
/// the sampler decides which items make an epoch and in what order.
/// </summary>
public interface IBatchSource
{
    string Name { get; }
    ImageShape Shape { get; }
    IReadOnlyList<string> ClassNames { get; }

    /// <summary>The label of every item, in item order (for class counts, weights and samplers).</summary>
    IReadOnlyList<int> Labels { get; }

    int Count => Labels.Count;

    /// <summary>The batches of one epoch; the caller disposes each batch.</summary>
    IEnumerable<Batch> Batches(int batchSize, ISampler sampler, int epoch);
}

/// <summary>One batch: uint8 images [B, C, H, W] and int64 labels [B].</summary>
public sealed class Batch(Tensor images, Tensor labels) : IDisposable
{
    public Tensor Images { get; } = images;
    public Tensor Labels { get; } = labels;
    public int Size => (int)Labels.shape[0];

    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}
