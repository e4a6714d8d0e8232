using ImageClassifier.Training.Callbacks;

namespace ImageClassifier.Distributed;

/// <summary>
/// The linear scaling rule with gradual warmup (Goyal et al., "Accurate, Large Minibatch SGD", 2017): with N
/// ranks the batch is N times larger, so the learning rate is multiplied by N; to keep the first steps stable
/// it rises linearly from the single-process rate to N times it over <paramref name="warmupEpochs"/> epochs
/// (per step), and is left alone after that (reduce-LR on plateau then works from the scaled rate).
/// </summary>
public sealed class LearningRateScaling(int ranks, int warmupEpochs) : Callback
{
    double start, target;
    int step, warmupSteps;

    public override void OnTrainBegin(TrainingContext context)
    {
        start = context.LearningRate;
        target = start * ranks;
        step = 0;
        warmupSteps = Math.Max(warmupEpochs, 0) * context.StepsPerEpoch;
        if (warmupSteps == 0) context.LearningRate = target;
    }

    public override void OnBatchBegin(TrainingContext context, int epoch, int batch)
    {
        if (step >= warmupSteps) return;
        step++;
        context.LearningRate = start + (target - start) * step / warmupSteps;
    }
}
