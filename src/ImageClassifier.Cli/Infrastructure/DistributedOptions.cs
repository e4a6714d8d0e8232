using System.CommandLine;
using ImageClassifier.Distributed;
using ImageClassifier.Recipes;

namespace ImageClassifier.Cli.Infrastructure;

/// <summary>
/// train's options for data-parallel training over MPI (mpirun -np N imgclass train --distributed ...), and how a
/// rank reports an error: an error every rank meets alike is printed by rank 0 alone; one that only this rank
/// meets is printed and ends the whole job (MPI_Abort), so the others do not wait for it.
/// </summary>
public sealed class DistributedOptions
{
    static readonly DistributedTraining Defaults = new();

    public readonly Option<bool> Distributed = new("--distributed") { Description = "Train as one rank of an MPI job (mpirun -np N imgclass train --distributed ...): each rank trains on its share of every epoch with --batch-size images per step, gradients are averaged every step, rank 0 writes the files. See docs/SCALING.md." };
    public readonly Option<bool> SyncBatchNorm = new("--sync-batch-norm") { Description = "With --distributed: batch-norm statistics over all ranks' batches (default: each rank's own)." };
    public readonly Option<bool> NoLrScaling = new("--no-lr-scaling") { Description = "With --distributed: keep --lr as given instead of multiplying it by the number of ranks." };
    public readonly Option<int> LrWarmupEpochs = new("--lr-warmup-epochs") { Description = "With --distributed: epochs over which the learning rate rises to --lr x ranks.", DefaultValueFactory = _ => Defaults.WarmupEpochs };
    public readonly Option<double> Timeout = new("--distributed-timeout") { Description = "With --distributed: seconds a rank waits for the others before it stops with a message (a rank died or hangs).", DefaultValueFactory = _ => Defaults.TimeoutSeconds };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Distributed, SyncBatchNorm, NoLrScaling, LrWarmupEpochs, Timeout })
            command.Options.Add(option);
    }

    /// <summary>The recipe with its distributed settings; the distributed-only options without --distributed are refused.</summary>
    public TrainingRecipe Apply(ParseResult parse, TrainingRecipe recipe)
    {
        if (!parse.GetValue(Distributed))
        {
            var stray = new Option[] { SyncBatchNorm, NoLrScaling, LrWarmupEpochs, Timeout }.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false });
            if (stray is not null) throw new ArgumentException($"{stray.Name} applies only with --distributed.");
            return recipe;
        }
        var settings = new DistributedTraining
        {
            SyncBatchNorm = parse.GetValue(SyncBatchNorm), ScaleLearningRate = !parse.GetValue(NoLrScaling),
            WarmupEpochs = parse.GetValue(LrWarmupEpochs), TimeoutSeconds = parse.GetValue(Timeout),
        };
        if (settings.WarmupEpochs < 0) throw new ArgumentException($"--lr-warmup-epochs must not be negative ({settings.WarmupEpochs}).");
        if (!(settings.TimeoutSeconds > 0)) throw new ArgumentException($"--distributed-timeout must be positive, not {settings.TimeoutSeconds}.");
        return recipe with { Distributed = settings };
    }

    /// <summary>Whether this process should print (rank 0, or not distributed).</summary>
    public static bool Prints => Communicator.Current is not { IsRoot: false };

    /// <summary>Runs <paramref name="body"/>; in a job of several ranks, errors are reported as the class summary says.</summary>
    public static int Run(Func<int> body, TextWriter error)
    {
        try { return body(); }
        catch (DistributedException e) when (Communicator.Current is { Size: > 1 } world)
        {
            if (world.IsRoot) error.WriteLine($"error: {e.Message}"); // every rank found the same
            return CommandRunner.Failure;
        }
        catch (Exception e) when (Communicator.Current is { Size: > 1 } world)
        {
            error.WriteLine($"error: rank {world.Rank} of {world.Size}: {e.Message}");
            error.Flush();
            world.Abort(CommandRunner.Failure);
            return CommandRunner.Failure;
        }
    }
}
