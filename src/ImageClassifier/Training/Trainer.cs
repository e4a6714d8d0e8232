using System.Diagnostics;
using ImageClassifier.Data;
using ImageClassifier.Models;
using ImageClassifier.Training.Callbacks;
using static TorchSharp.torch;

namespace ImageClassifier.Training;

/// <summary>
/// The training loop: shuffled mini-batches of an in-memory dataset, one optimizer step each,
/// train and validation loss/accuracy per epoch, and callbacks at each step of the lifecycle.
/// Every batch runs in its own dispose scope, so native memory does not grow across epochs.
/// Batches are fitted to the model's input (grayscale repeated, resized) as they are drawn, so a
/// 28x28 dataset trains a 3x224x224 pretrained model without a resized copy in memory. Only
/// trainable parameters are optimised (frozen ones are left out of the optimizer).
/// </summary>
public static class Trainer
{
    public static History Fit(this Classifier model, ImageDataset train, ImageDataset? validation = null,
        TrainingOptions? options = null, params IEnumerable<Callback> callbacks)
    {
        options ??= new TrainingOptions();
        options.Validate();
        train.EnsureTrainable();
        CheckCompatible(model, train);
        if (validation is not null)
        {
            CheckCompatible(model, validation);
            if (validation.Count == 0) validation = null;
        }
        manual_seed(options.Seed);

        var device = model.Device;
        var shape = train.Shape;
        using var images = tensor(train.Pixels, [train.Count, shape.Channels, shape.Height, shape.Width]).to(device);
        using var labels = tensor(train.Labels.Select(l => (long)l).ToArray()).to(device);
        using var validationLabels = validation is null ? null : tensor(validation.Labels.Select(l => (long)l).ToArray());
        Func<Tensor, Tensor> logitsFor = indices =>
        {
            using var input = model.Preprocessing.Apply(model.FitToInput(images.index_select(0, indices)));
            return model.Network.forward(input);
        };
        Func<Tensor>? validationLogits = validation is null ? null : () => model.Logits(validation, options.ValidationBatchSize);
        return Run(model, labels, validationLabels, options, logitsFor, validationLogits, callbacks);
    }

    /// <summary>
    /// The epoch loop shared by <see cref="Fit"/> and FeatureCache.FitHead: <paramref name="logitsFor"/>
    /// gives the logits of a batch of training indices; <paramref name="validationLogits"/> those of the whole validation set.
    /// </summary>
    internal static History Run(Classifier model, Tensor labels, Tensor? validationLabels, TrainingOptions options,
        Func<Tensor, Tensor> logitsFor, Func<Tensor>? validationLogits, IEnumerable<Callback> callbacks)
    {
        var hooks = callbacks.ToList();
        var trainable = model.Network.named_parameters().Where(p => p.parameter.requires_grad).ToList();
        if (trainable.Count == 0) throw new ModelException("Every parameter of the model is frozen: there is nothing to train.");
        using var optimizer = Optimizers.Create(options, trainable);
        var loss = new CrossEntropyLoss(options.LabelSmoothing, options.ClassWeights);
        using var generator = new Generator((ulong)options.Seed);
        int count = (int)labels.shape[0];

        var context = new TrainingContext(model, optimizer, options, count, validationLabels is not null);
        hooks.ForEach(h => h.OnTrainBegin(context));
        for (int epoch = 1; epoch <= options.Epochs && !context.StopTraining; epoch++)
        {
            hooks.ForEach(h => h.OnEpochBegin(context, epoch));
            double learningRate = context.LearningRate;
            var (trainLoss, trainAccuracy, seconds) = TrainEpoch(model, labels, logitsFor, optimizer, loss, generator, context, hooks, epoch);
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
            logs["lr"] = learningRate;
            logs["seconds"] = seconds;
            logs["images_per_s"] = count / seconds;
            context.History.Add(logs);
            hooks.ForEach(h => h.OnEpochEnd(context, epoch, logs));
        }
        hooks.ForEach(h => h.OnTrainEnd(context));
        return context.History;
    }

    static (double Loss, double Accuracy, double Seconds) TrainEpoch(Classifier model, Tensor labels, Func<Tensor, Tensor> logitsFor,
        optim.Optimizer optimizer, CrossEntropyLoss loss, Generator generator, TrainingContext context, List<Callback> hooks, int epoch)
    {
        var options = context.Options;
        int count = (int)labels.shape[0], batches = context.StepsPerEpoch;
        using var order = options.Shuffle ? randperm(count, generator: generator).to(labels.device) : arange(count, device: labels.device);
        model.Network.train();
        double lossSum = 0;
        long correct = 0;
        int seen = 0;
        var clock = Stopwatch.StartNew();
        for (int batch = 0; batch < batches && !context.StopTraining; batch++)
        {
            using var scope = NewDisposeScope();
            int start = batch * options.BatchSize, size = Math.Min(options.BatchSize, count - start);
            var indices = order.narrow(0, start, size);
            var targets = labels.index_select(0, indices);

            optimizer.zero_grad();
            var logits = logitsFor(indices);
            var batchLoss = loss.Compute(logits, targets);
            batchLoss.backward();
            optimizer.step();

            lossSum += batchLoss.item<float>() * size;
            correct += logits.argmax(1).eq(targets).sum().item<long>();
            seen += size;
            var log = new BatchLog(epoch, batch + 1, batches, lossSum / seen, (double)correct / seen, seen, clock.Elapsed);
            hooks.ForEach(h => h.OnBatchEnd(context, log));
        }
        return (lossSum / Math.Max(seen, 1), (double)correct / Math.Max(seen, 1), clock.Elapsed.TotalSeconds);
    }

    internal static double Accuracy(Tensor logits, Tensor labels)
    {
        using var hits = logits.argmax(1).eq(labels).sum();
        return hits.item<long>() / (double)labels.shape[0];
    }

    static void CheckCompatible(Classifier model, ImageDataset data)
    {
        if (!model.TakesChannels(data.Shape.Channels))
            throw new ModelException($"Dataset '{data.Name}' holds {data.Shape} images but the model takes {model.InputShape}.");
        if (data.ClassCount != model.ClassNames.Count)
            throw new ModelException($"Dataset '{data.Name}' has {data.ClassCount} classes but the model has {model.ClassNames.Count}.");
    }
}
