using ImageClassifier.Data.Loading;

namespace ImageClassifier.Training.Checkpoints;

/// <summary>
/// The sampler of a resumed epoch: the same order as the run's own sampler, without the items of the batches
/// already trained. Samplers are pure functions of (count, epoch), so the batches that follow are exactly those
/// the interrupted run would have drawn.
/// </summary>
internal sealed class SkippingSampler(ISampler inner, int epoch, int skip) : ISampler
{
    public int[] Order(int count, int epochAsked)
    {
        var order = inner.Order(count, epochAsked);
        return epochAsked == epoch ? order[Math.Min(skip, order.Length)..] : order;
    }
}
