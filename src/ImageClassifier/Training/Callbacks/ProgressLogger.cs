using System.Diagnostics;
using System.Globalization;

namespace ImageClassifier.Training.Callbacks;

/// <summary>
/// Keras-style progress: on a terminal, one line per epoch rewritten in place (batch, loss,
/// accuracy, images/s, ETA); when output is redirected, a plain line at each quarter of the epoch
/// and one at its end, so logs stay readable.
/// </summary>
public sealed class ProgressLogger(TextWriter? output = null, bool? interactive = null) : Callback
{
    readonly TextWriter writer = output ?? Console.Out;
    readonly bool live = interactive ?? (output is null && !Console.IsOutputRedirected);
    readonly Stopwatch sinceDraw = new();
    int lastQuarter;

    public override void OnTrainBegin(TrainingContext context) =>
        writer.WriteLine($"Training on {context.TrainCount:N0} images, {context.StepsPerEpoch:N0} batches of {context.Options.BatchSize} per epoch, for up to {context.Epochs} epoch{(context.Epochs == 1 ? "" : "s")}");

    public override void OnEpochBegin(TrainingContext context, int epoch)
    {
        lastQuarter = 0;
        sinceDraw.Restart();
    }

    public override void OnBatchEnd(TrainingContext context, BatchLog batch)
    {
        string line = string.Create(CultureInfo.InvariantCulture,
            $"Epoch {batch.Epoch}/{context.Epochs} {batch.Batch}/{batch.Batches} - loss: {batch.Loss:0.0000} - accuracy: {batch.Accuracy:0.0000} - {batch.ImagesPerSecond:N0} img/s - ETA {batch.Remaining:mm\\:ss}");
        if (live)
        {
            if (sinceDraw.ElapsedMilliseconds < 100 && batch.Batch < batch.Batches) return;
            sinceDraw.Restart();
            writer.Write("\r" + line.PadRight(Console.IsOutputRedirected ? 0 : Math.Clamp(Console.WindowWidth - 1, 0, 110)));
            return;
        }
        int quarter = 4 * batch.Batch / batch.Batches;
        if (quarter > lastQuarter && batch.Batch < batch.Batches)
        {
            lastQuarter = quarter;
            writer.WriteLine(line);
        }
    }

    public override void OnEpochEnd(TrainingContext context, int epoch, IReadOnlyDictionary<string, double> logs)
    {
        if (live) writer.Write("\r");
        var parts = logs.Where(kv => kv.Key is not "epoch").Select(kv => kv.Key switch
        {
            "seconds" => string.Create(CultureInfo.InvariantCulture, $"{kv.Value:0.0}s"),
            "images_per_s" => string.Create(CultureInfo.InvariantCulture, $"{kv.Value:N0} img/s"),
            "lr" => string.Create(CultureInfo.InvariantCulture, $"lr: {kv.Value:0.#####}"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{kv.Key}: {kv.Value:0.0000}"),
        });
        writer.WriteLine($"Epoch {epoch}/{context.Epochs} - " + string.Join(" - ", parts));
    }

    public override void OnTrainEnd(TrainingContext context)
    {
        if (context.StopReason is not null) writer.WriteLine($"Stopped: {context.StopReason}.");
        if (context.RestoredEpoch is int best) writer.WriteLine($"Restored the weights of epoch {best}, the best.");
    }
}
