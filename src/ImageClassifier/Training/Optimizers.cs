using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ImageClassifier.Training;

/// <summary>
/// Creates the optimizer named in the options and reads or sets its learning rate. With
/// <see cref="TrainingOptions.LearningRateMultipliers"/> the parameters are split into groups, each
/// at the base rate times its multiplier (discriminative learning rates); changing the rate (a
/// schedule, reduce-on-plateau) scales every group alike, keeping their ratios.
/// </summary>
public static class Optimizers
{
    public static readonly string[] Names = ["adam", "adamw", "sgd"];

    public static optim.Optimizer Create(TrainingOptions options, IEnumerable<Parameter> parameters) =>
        options.Optimizer.ToLowerInvariant() switch
        {
            "adam" => optim.Adam(parameters, options.LearningRate, weight_decay: options.WeightDecay),
            "adamw" => optim.AdamW(parameters, options.LearningRate, weight_decay: options.WeightDecay),
            "sgd" => optim.SGD(parameters, options.LearningRate, momentum: options.Momentum,
                weight_decay: options.WeightDecay, nesterov: options.Nesterov),
            _ => throw new ArgumentException($"Unknown optimizer '{options.Optimizer}'. Known: {string.Join(", ", Names)}."),
        };

    /// <summary>An optimizer over named parameters (the network's named_parameters, trainable ones).</summary>
    public static optim.Optimizer Create(TrainingOptions options, IEnumerable<(string Name, Parameter Parameter)> parameters) =>
        Create(options, Groups(options, parameters));

    /// <summary>
    /// The parameters by learning-rate multiplier, the highest first (the rate reported); one group at 1 without
    /// <see cref="TrainingOptions.LearningRateMultipliers"/>.
    /// </summary>
    internal static IReadOnlyList<(double Multiplier, IReadOnlyList<Parameter> Parameters)> Groups(TrainingOptions options,
        IEnumerable<(string Name, Parameter Parameter)> parameters) =>
        options.LearningRateMultipliers is not { Count: > 0 }
            ? [(1.0, parameters.Select(p => p.Parameter).ToList())]
            : [.. parameters
                .GroupBy(p => Multiplier(options.LearningRateMultipliers, p.Name))
                .OrderByDescending(g => g.Key)
                .Select(g => (g.Key, (IReadOnlyList<Parameter>)g.Select(p => p.Parameter).ToList()))];

    /// <summary>An optimizer over <see cref="Groups"/> (or their packed form), each group at the base rate times its multiplier.</summary>
    internal static optim.Optimizer Create(TrainingOptions options, IReadOnlyList<(double Multiplier, IReadOnlyList<Parameter> Parameters)> groups)
    {
        if (options.LearningRateMultipliers is not { Count: > 0 }) return Create(options, groups.SelectMany(g => g.Parameters));
        double lr = options.LearningRate, decay = options.WeightDecay;
        return options.Optimizer.ToLowerInvariant() switch
        {
            "adam" => optim.Adam(groups.Select(g => new Adam.ParamGroup(g.Parameters, lr * g.Multiplier, weight_decay: decay)), lr, weight_decay: decay),
            "adamw" => optim.AdamW(groups.Select(g => new AdamW.ParamGroup(g.Parameters, lr * g.Multiplier, weight_decay: decay)), lr, weight_decay: decay),
            "sgd" => optim.SGD(groups.Select(g => new SGD.ParamGroup(g.Parameters, lr * g.Multiplier, options.Momentum, weight_decay: decay, nesterov: options.Nesterov)),
                lr, momentum: options.Momentum, weight_decay: decay, nesterov: options.Nesterov),
            _ => throw new ArgumentException($"Unknown optimizer '{options.Optimizer}'. Known: {string.Join(", ", Names)}."),
        };
    }

    /// <summary>The multiplier of the longest prefix that <paramref name="name"/> starts with (1 when none does).</summary>
    static double Multiplier(IReadOnlyDictionary<string, double>? multipliers, string name) =>
        multipliers?.Where(kv => name.StartsWith(kv.Key, StringComparison.Ordinal)).OrderByDescending(kv => kv.Key.Length)
            .Select(kv => kv.Value).DefaultIfEmpty(1).First() ?? 1;

    /// <summary>The highest group rate (the head's, with discriminative rates).</summary>
    public static double GetLearningRate(optim.Optimizer optimizer) => optimizer.ParamGroups.Max(g => g.LearningRate);

    public static void SetLearningRate(optim.Optimizer optimizer, double rate)
    {
        double scale = rate / GetLearningRate(optimizer);
        foreach (var group in optimizer.ParamGroups) group.LearningRate *= scale;
    }
}
