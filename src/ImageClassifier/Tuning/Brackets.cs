namespace ImageClassifier.Tuning;

/// <summary>One rung of a bracket: how many configurations train, for how many epochs each.</summary>
public sealed record Rung(int Configs, int Epochs);

/// <summary>
/// A bracket of successive halving: its first rung's configurations are sampled; after each rung the best
/// 1/eta of them (by validation accuracy) go on to the next, which trains for eta times as many epochs.
/// <see cref="S"/> is Li et al.'s s, the number of halvings.
/// </summary>
public sealed record Bracket(int S, IReadOnlyList<Rung> Rungs)
{
    /// <summary>Trainings in the bracket, over all its rungs.</summary>
    public int Trials => Rungs.Sum(r => r.Configs);

    /// <summary>Epochs the bracket trains in all, when no trial stops early.</summary>
    public int Epochs => Rungs.Sum(r => r.Configs * r.Epochs);

    public override string ToString() => $"s={S}: " + string.Join(", ", Rungs.Select(r => $"{r.Configs}x{r.Epochs}"));
}

/// <summary>
/// The bracket arithmetic of the searches, pure functions of their settings. Resources are epochs:
/// R = <c>maxEpochs</c>, the least a configuration trains is <c>minEpochs</c>, and eta is the halving rate.
/// Epoch counts that do not come out whole (R not a power of eta times minEpochs) are rounded to the nearest.
/// </summary>
public static class Brackets
{
    /// <summary>
    /// Hyperband (Li et al., 2018, Algorithm 1): s_max = floor(log_eta(R / minEpochs)), B = (s_max + 1) R, and for
    /// s = s_max down to 0 a bracket of n = ceil(B / R * eta^s / (s + 1)) configurations at r = R eta^-s epochs,
    /// whose rung i keeps n_i = floor(n eta^-i) of them for r_i = r eta^i epochs. R = 81, eta = 3 gives the paper's table.
    /// </summary>
    public static IReadOnlyList<Bracket> Hyperband(int maxEpochs, int minEpochs = 1, int eta = 3)
    {
        int sMax = MaxHalvings(maxEpochs, minEpochs, eta);
        var brackets = new List<Bracket>();
        for (int s = sMax; s >= 0; s--)
        {
            long powS = Pow(eta, s);
            // ceil((s_max + 1) eta^s / (s + 1)), in whole numbers
            int n = checked((int)(((sMax + 1) * powS + s) / (s + 1)));
            brackets.Add(new Bracket(s, Rungs(n, s, maxEpochs, eta)));
        }
        return brackets;
    }

    /// <summary>
    /// Successive halving in one bracket: <paramref name="configs"/> configurations at the fewest epochs, the best 1/eta
    /// kept at each rung, the last rung at <paramref name="maxEpochs"/>. There are as many halvings as both the epochs
    /// (floor(log_eta(R / minEpochs))) and the configurations (floor(log_eta(configs)), so that a rung keeps one) allow.
    /// </summary>
    public static Bracket SuccessiveHalving(int configs, int maxEpochs, int minEpochs = 1, int eta = 3)
    {
        if (configs < 1) throw new ArgumentException($"Successive halving needs at least one configuration, not {configs}.");
        int s = Math.Min(MaxHalvings(maxEpochs, minEpochs, eta), MaxHalvings(configs, 1, eta));
        return new Bracket(s, Rungs(configs, s, maxEpochs, eta));
    }

    /// <summary>Random search: every configuration trains for <paramref name="maxEpochs"/>, none is stopped early.</summary>
    public static Bracket RandomSearch(int configs, int maxEpochs)
    {
        if (configs < 1) throw new ArgumentException($"Random search needs at least one configuration, not {configs}.");
        if (maxEpochs < 1) throw new ArgumentException($"The most epochs must be at least 1, not {maxEpochs}.");
        return new Bracket(0, [new Rung(configs, maxEpochs)]);
    }

    /// <summary>The largest s with minEpochs * eta^s &lt;= maxEpochs (counted in whole numbers, so no rounding of logarithms).</summary>
    public static int MaxHalvings(int maxEpochs, int minEpochs, int eta)
    {
        if (eta < 2) throw new ArgumentException($"eta (the halving rate) must be at least 2, not {eta}.");
        if (minEpochs < 1) throw new ArgumentException($"The fewest epochs must be at least 1, not {minEpochs}.");
        if (maxEpochs < minEpochs) throw new ArgumentException($"The most epochs ({maxEpochs}) must not be below the fewest ({minEpochs}).");
        int s = 0;
        for (long r = minEpochs; r * eta <= maxEpochs; r *= eta) s++;
        return s;
    }

    // Rung i of a bracket with s halvings and n configurations: floor(n / eta^i) of them for R eta^(i - s) epochs.
    static Rung[] Rungs(int n, int s, int maxEpochs, int eta) =>
        Enumerable.Range(0, s + 1)
            .Select(i => new Rung((int)(n / Pow(eta, i)), Math.Max(1, (int)Math.Round(maxEpochs / (double)Pow(eta, s - i), MidpointRounding.AwayFromZero))))
            .ToArray();

    static long Pow(int b, int e)
    {
        long p = 1;
        for (int i = 0; i < e; i++) p = checked(p * b);
        return p;
    }
}
