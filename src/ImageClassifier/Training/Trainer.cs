using System.Diagnostics;
using ImageClassifier.Data;
using ImageClassifier.Data.Loading;
using ImageClassifier.Evaluation;
using ImageClassifier.Imaging;
using ImageClassifier.Imaging.Augmentation;
using ImageClassifier.Models;
using ImageClassifier.Training.Callbacks;
using ImageClassifier.Training.Checkpoints;
using static TorchSharp.torch;

namespace ImageClassifier.Training;

/// <summary>
/// The training loop: mini-batches from a batch source (a dataset in memory, or streamed files),
/// optional augmentation, one optimizer step each, train and validation loss/accuracy per epoch,
/// and callbacks at each step of the lifecycle. Every batch runs in its own dispose scope, so native
/// memory does not grow across epochs. Batches are fitted to the model's input (grayscale repeated,
/// resized) as they are drawn, so a 28x28 dataset trains a 3x224x224 pretrained model without a
/// resized copy in memory. Only trainable parameters are optimised (frozen ones are left out), each group packed
/// into one buffer (<see cref="PackedParameters"/>).
/// </summary>
public static class Trainer
{
    public static History Fit(this Classifier model, ImageDataset train, ImageDataset? validation = null,
        TrainingOptions? options = null, params IEnumerable<Callback> callbacks)
    {
        train.EnsureTrainable();
        using var source = new InMemoryBatchSource(train);
        return model.Fit(source, validation, options, callbacks);
    }

    public static History Fit(this Classifier model, IBatchSource train, ImageDataset? validation = null,
        TrainingOptions? options = null, params IEnumerable<Callback> callbacks)
    {
        options ??= new TrainingOptions();
        options.Validate();
        CheckCompatible(model, train.Name, train.Shape, train.ClassNames.Count);
        if (validation is not null)
        {
            CheckCompatible(model, validation.Name, validation.Shape, validation.ClassCount);
            if (validation.Count == 0) validation = null;
        }
        manual_seed(options.Seed);
        using var validationLabels = validation is null ? null : tensor(validation.Labels.Select(l => (long)l).ToArray());
        Func<Tensor>? validationLogits = validation is null ? null : () => model.Logits(validation, options.ValidationBatchSize);
        return Run(model, train.Count, validationLabels, options,
            (sampler, epoch) => train.Batches(options.BatchSize, sampler, epoch),
            (batch, augmentation) =>
            {
                var (input, targets) = Prepare(model, batch, options.Augmentation, augmentation);
                return (model.Network.forward(input), targets);
            },
            validationLogits, callbacks, train.ClassNames.Count);
    }

    /// <summary>
    /// The epoch loop shared by <see cref="Fit(Classifier, IBatchSource, ImageDataset?, TrainingOptions?, IEnumerable{Callback})"/>
    /// and HeadTrainer.FitHead: <paramref name="batches"/> gives an epoch's batches, <paramref name="step"/>
    /// the logits and targets of one; <paramref name="validationLogits"/> those of the whole validation set.
    /// </summary>
    internal static History Run(Classifier model, int count, Tensor? validationLabels, TrainingOptions options,
        Func<ISampler, int, IEnumerable<Batch>> batches, Func<Batch, AugmentationContext?, (Tensor Logits, Tensor Targets)> step,
        Func<Tensor>? validationLogits, IEnumerable<Callback> callbacks, int classCount)
    {
        var hooks = callbacks.ToList();
        var trainable = model.Network.named_parameters().Where(p => p.parameter.requires_grad).ToList();
        if (trainable.Count == 0) throw new ModelException("Every parameter of the model is frozen: there is nothing to train.");
        using var packed = new PackedParameters(Optimizers.Groups(options, trainable));
        using var optimizer = Optimizers.Create(options, packed.Groups);
        var loss = new CrossEntropyLoss(options.LabelSmoothing, options.ClassWeights);
        var sampler = options.Sampler ?? (options.Shuffle ? new ShuffleSampler(options.Seed) : new SequentialSampler());
        using var generator = new Generator((ulong)options.Seed);
        var augmentation = options.Augmentation is null ? null : new AugmentationContext(classCount, generator);

        int epochLength = sampler.Order(count, 1).Length;
        var context = new TrainingContext(model, optimizer, options, epochLength, validationLabels is not null)
        {
            Callbacks = hooks, AugmentationGenerator = augmentation is null ? null : generator, Resuming = options.ResumeFrom is not null,
        };
        hooks.ForEach(h => h.OnTrainBegin(context));
        options.ResumeFrom?.Restore(context);
        var position = context.Position;
        for (int epoch = position.Epoch; epoch <= context.Epochs && !context.StopTraining; epoch++)
        {
            // A resumed epoch has begun already: its callbacks ran and its first batches are done.
            bool resumed = position.EpochBegun;
            if (!resumed)
            {
                hooks.ForEach(h => h.OnEpochBegin(context, epoch));
                position.EpochLearningRate = context.LearningRate;
                position.EpochBegun = true;
            }
            var epochSampler = resumed ? new SkippingSampler(sampler, epoch, position.BatchesDone * options.BatchSize) : sampler;
            var (trainLoss, trainAccuracy, seen, seconds) = TrainEpoch(model, batches(epochSampler, epoch), step, packed, optimizer, loss, augmentation, context, hooks, epoch);
            var logs = new Dictionary<string, double>
            {
                ["loss"] = trainLoss,
                ["accuracy"] = trainAccuracy,
            };
            if (validationLogits is not null)
            {
                using var logits = validationLogits();
                using var validationLoss = loss.Compute(logits, validationLabels!);
                logs["val_loss"] = validationLoss.item<float>();
                logs["val_accuracy"] = Accuracy(logits, validationLabels!);
            }
            logs["lr"] = position.EpochLearningRate;
            logs["seconds"] = seconds;
            logs["images_per_s"] = seen / seconds;
            hooks.ForEach(h => h.OnEpochLogs(context, epoch, logs));
            context.History.Add(logs);
            position.StartOf(epoch + 1);
            hooks.ForEach(h => h.OnEpochEnd(context, epoch, logs));
        }
        hooks.ForEach(h => h.OnTrainEnd(context));
        return context.History;
    }

    static (double Loss, double Accuracy, int Seen, double Seconds) TrainEpoch(Classifier model, IEnumerable<Batch> batches,
        Func<Batch, AugmentationContext?, (Tensor Logits, Tensor Targets)> step, PackedParameters packed, optim.Optimizer optimizer, CrossEntropyLoss loss,
        AugmentationContext? augmentation, TrainingContext context, List<Callback> hooks, int epoch)
    {
        // A resumed epoch starts from the position's batch count and running sums.
        var position = context.Position;
        int steps = context.StepsPerEpoch, done = position.BatchesDone, seen = position.Seen;
        model.Network.train();
        double lossSum = position.LossSum, before = position.Seconds;
        long correct = position.Correct;
        var clock = Stopwatch.StartNew();
        foreach (var batch in batches)
        {
            using var scope = NewDisposeScope();
            using var _ = batch;

            hooks.ForEach(h => h.OnBatchBegin(context, epoch, done + 1));
            optimizer.zero_grad();
            var (logits, targets) = step(batch, augmentation);
            var batchLoss = loss.Compute(logits, targets);
            batchLoss.backward();
            hooks.ForEach(h => h.OnGradients(context, epoch, done + 1));
            packed.Relink();
            optimizer.step();

            // With soft targets (MixUp, CutMix) a prediction counts as right when it is the largest target.
            var classes = targets.dtype == ScalarType.Int64 ? targets : targets.argmax(1);
            lossSum += batchLoss.item<float>() * batch.Size;
            correct += logits.argmax(1).eq(classes).sum().item<long>();
            seen += batch.Size;
            var elapsed = clock.Elapsed + TimeSpan.FromSeconds(before);
            (position.BatchesDone, position.LossSum, position.Correct, position.Seen, position.Seconds) = (++done, lossSum, correct, seen, elapsed.TotalSeconds);
            var log = new BatchLog(epoch, done, steps, lossSum / seen, (double)correct / seen, seen, elapsed);
            hooks.ForEach(h => h.OnBatchEnd(context, log));
            if (TestBatchDelay > 0) Thread.Sleep(TestBatchDelay);
            if (context.StopTraining || (epoch == context.Epochs && done >= context.LastEpochSteps)) break;
        }
        return (lossSum / Math.Max(seen, 1), (double)correct / Math.Max(seen, 1), seen, before + clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// Fault injection for the kill tests: IMGCLASS_TEST_BATCH_DELAY_MS sleeps that long after every training batch, so
    /// that a small run lasts long enough for a signal to land mid-run however fast the machine is.
    /// </summary>
    static readonly int TestBatchDelay = int.TryParse(Environment.GetEnvironmentVariable("IMGCLASS_TEST_BATCH_DELAY_MS"), out int ms) ? ms : 0;

    /// <summary>A batch as network input and loss targets, augmented when training asks for it.</summary>
    static (Tensor Input, Tensor Targets) Prepare(Classifier model, Batch batch, IBatchAugmentation? augment, AugmentationContext? context)
    {
        var device = model.Device;
        var labels = batch.Labels.to(device);
        var images = model.FitToInput(batch.Images.to(device));
        if (augment is null) return (model.Preprocessing.Apply(images), labels);
        var (augmented, targets) = augment.Apply(images.to_type(ScalarType.Float32).div_(255), labels, context!);
        return (model.Preprocessing.ApplyToUnitRange(augmented), targets);
    }

    internal static double Accuracy(Tensor logits, Tensor labels)
    {
        using var hits = logits.argmax(1).eq(labels).sum();
        return hits.item<long>() / (double)labels.shape[0];
    }

    // Any image size is fitted to the model as batches are drawn; the channels must fit it.
    static void CheckCompatible(Classifier model, string name, ImageShape shape, int classCount)
    {
        if (!model.TakesChannels(shape.Channels))
            throw new ModelException($"Dataset '{name}' holds {shape} images but the model takes {model.InputShape}.");
        if (classCount != model.ClassNames.Count)
            throw new ModelException($"Dataset '{name}' has {classCount} classes but the model has {model.ClassNames.Count}.");
    }
}
