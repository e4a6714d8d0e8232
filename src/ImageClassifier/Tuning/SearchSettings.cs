namespace ImageClassifier.Tuning;

/// <summary>
/// How a study searches: the method (random, halving or hyperband), how many configurations (random and halving),
/// and the brackets' epochs and halving rate. Together with the space, the base recipe and the seed they fix
/// every trial a study runs, so a study saved with them can be continued.
/// </summary>
public sealed record SearchSettings
{
    public static readonly string[] Methods = ["random", "halving", "hyperband"];

    /// <summary>
    /// random: <see cref="Trials"/> configurations, each for <see cref="MaxEpochs"/>; halving: successive halving of
    /// <see cref="Trials"/> configurations from <see cref="MinEpochs"/> to <see cref="MaxEpochs"/>; hyperband: Li et al.'s
    /// brackets, whose sizes follow from the epochs and <see cref="Eta"/> (Trials is not used).
    /// </summary>
    public string Method { get; init; } = "hyperband";
    /// <summary>Configurations drawn (random and halving).</summary>
    public int Trials { get; init; } = 20;
    /// <summary>The fewest epochs a configuration trains (the first rung).</summary>
    public int MinEpochs { get; init; } = 1;
    /// <summary>The most epochs a configuration trains (the last rung; Hyperband's R).</summary>
    public int MaxEpochs { get; init; } = 9;
    /// <summary>The halving rate: each rung keeps the best 1/eta and trains them eta times longer.</summary>
    public int Eta { get; init; } = 3;

    public void Validate()
    {
        if (!Methods.Contains(Method)) throw new ArgumentException($"Unknown search method '{Method}': use {string.Join(", ", Methods)}.");
        if (Trials < 1) throw new ArgumentException($"A search needs at least one trial, not {Trials}.");
        Brackets.MaxHalvings(MaxEpochs, MinEpochs, Eta); // checks the epochs and eta
    }

    /// <summary>The brackets the study runs, in order.</summary>
    public IReadOnlyList<Bracket> Plan()
    {
        Validate();
        return Method switch
        {
            "random" => [Brackets.RandomSearch(Trials, MaxEpochs)],
            "halving" => [Brackets.SuccessiveHalving(Trials, MaxEpochs, MinEpochs, Eta)],
            _ => Brackets.Hyperband(MaxEpochs, MinEpochs, Eta),
        };
    }
}
