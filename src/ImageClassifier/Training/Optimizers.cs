using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ImageClassifier.Training;

/// <summary>Creates the optimizer named in the options and reads or sets its learning rate.</summary>
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

    public static double GetLearningRate(optim.Optimizer optimizer) => optimizer.ParamGroups.First().LearningRate;

    public static void SetLearningRate(optim.Optimizer optimizer, double rate)
    {
        foreach (var group in optimizer.ParamGroups) group.LearningRate = rate;
    }
}
