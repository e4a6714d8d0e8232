using System.Security.Cryptography;
using System.Text;
using ImageClassifier.Data;
using ImageClassifier.Data.Loading;
using ImageClassifier.Models;
using ImageClassifier.Training;
using ImageClassifier.Training.Callbacks;

namespace ImageClassifier.Distributed;

/// <summary>
/// What a training run changes when it is one rank of a job: the sampler (this rank's share), the callbacks
/// (metrics combined first, gradients averaged, the learning rate scaled), the start-up check that every rank
/// runs the same thing, and who writes (rank 0).
/// </summary>
public sealed class DistributedRun
{
    DistributedRun(DistributedTraining settings, Communicator communicator)
    {
        Settings = settings;
        Communicator = communicator;
    }

    public DistributedTraining Settings { get; }
    public Communicator Communicator { get; }
    public bool IsRoot => Communicator.IsRoot;

    /// <summary>Starts MPI (once per process) and joins the job.</summary>
    public static DistributedRun Start(DistributedTraining settings)
    {
        settings.Validate();
        return new DistributedRun(settings, Communicator.Start(TimeSpan.FromSeconds(settings.TimeoutSeconds)));
    }

    /// <summary>
    /// The options with this rank's share of every epoch, drawn from the sampler they would have used, and a seed of
    /// its own for what is random within a step (dropout masks, augmentation), so that the ranks do not all apply the
    /// same random transformations to their different images; rank 0 keeps the seed (the initial weights come from
    /// the recipe's seed on every rank).
    /// </summary>
    public TrainingOptions Adapt(TrainingOptions options)
    {
        ISampler whole = options.Sampler ?? (options.Shuffle ? new ShuffleSampler(options.Seed) : new SequentialSampler());
        return options with
        {
            Sampler = new DistributedSampler(whole, Communicator.Rank, Communicator.Size),
            Seed = unchecked(options.Seed + 7919 * Communicator.Rank),
        };
    }

    int validationShare;

    /// <summary>
    /// This rank's share of the validation set (every N-th image from its rank on), so that validation takes 1/N of the
    /// time; the ranks' figures are combined, weighted by their shares, into those of the whole set. A set with fewer
    /// images than ranks is evaluated whole on every rank.
    /// </summary>
    public ImageDataset? ShareOf(ImageDataset? validation)
    {
        if (validation is null || validation.Count < Communicator.Size)
        {
            validationShare = validation?.Count ?? 0;
            return validation;
        }
        var share = validation.Subset(Enumerable.Range(0, validation.Count).Where(i => i % Communicator.Size == Communicator.Rank).ToArray());
        validationShare = share.Count;
        return share;
    }

    /// <summary>The callbacks of one training stage; they go first, so that the others see the combined figures.</summary>
    public IEnumerable<Callback> Callbacks()
    {
        yield return new MetricAverager(Communicator, validationShare);
        yield return new GradientAverager(Communicator, Settings.BucketBytes);
        yield return new EpochBoundarySync(Communicator);
        if (Settings.SyncBatchNorm && Communicator.Size > 1) yield return new SyncBatchNorm(Communicator);
        if (Settings.ScaleLearningRate && Communicator.Size > 1) yield return new LearningRateScaling(Communicator.Size, Settings.WarmupEpochs);
    }

    /// <summary>
    /// Stops every rank with the same message unless all of them have the same model (architecture and initial
    /// weights), class list, data (sizes and labels) and settings: each rank's fingerprints are gathered and
    /// compared with rank 0's.
    /// </summary>
    public void CheckConsistency(Classifier model, IBatchSource train, int validationCount, int testCount, string settings)
    {
        var parts = new (string What, long Hash)[]
        {
            ("model (architecture and initial weights)", ModelHash(model)),
            ("class list", Hash(string.Join("\n", train.ClassNames))),
            ("data (image counts, shape and labels)", Hash($"{train.Count} {validationCount} {testCount} {train.Shape} {string.Join(",", train.Labels)}")),
            ("options", Hash(settings)),
        };
        var all = Communicator.Allgather(parts.Select(p => p.Hash).ToArray(), "the start-up check");
        var problems = new List<string>();
        for (int i = 0; i < parts.Length; i++)
        {
            var differing = Enumerable.Range(1, Communicator.Size - 1).Where(r => all[r][i] != all[0][i]).ToList();
            if (differing.Count > 0) problems.Add($"the {parts[i].What} (rank{(differing.Count > 1 ? "s" : "")} {string.Join(", ", differing)})");
        }
        if (problems.Count > 0)
            throw new DistributedException($"The ranks of this job differ from rank 0 in {string.Join("; ", problems)}. Every rank must run the same command on the same data.");
    }

    static long ModelHash(Classifier model)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes(model.Spec.Architecture));
        foreach (var (name, tensor) in model.Network.state_dict())
        {
            sha.AppendData(Encoding.UTF8.GetBytes(name));
            using var cpu = tensor.cpu().contiguous();
            sha.AppendData(cpu.bytes);
        }
        return BitConverter.ToInt64(sha.GetHashAndReset());
    }

    static long Hash(string text) => BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
