using System.Globalization;

namespace ImageClassifier.Training.Schedules;

/// <summary>
/// A learning rate as a pure function of the optimizer step: the same step always gives the same rate, so a
/// schedule needs no state to resume, is tested against hand-computed values, and scales every parameter group
/// alike (discriminative rates keep their ratios). Written here rather than with TorchSharp's lr_scheduler
/// classes because those keep their position inside the optimizer and set each group's rate on their own.
/// </summary>
public abstract record LearningRateSchedule
{
    public static readonly string[] Names = ["constant", "one-cycle", "cosine"];

    /// <summary>The rate at <paramref name="step"/> (0-based) of <paramref name="totalSteps"/>, for a peak rate <paramref name="peak"/>.</summary>
    public abstract double RateAt(long step, long totalSteps, double peak);

    /// <summary>constant, one-cycle (optionally one-cycle:WARMUP_FRACTION) or cosine (optionally cosine:WARMUP_FRACTION).</summary>
    public static LearningRateSchedule Parse(string text)
    {
        var parts = text.Trim().ToLowerInvariant().Split(':', 2);
        double? fraction = parts.Length == 2 && double.TryParse(parts[1], CultureInfo.InvariantCulture, out double f) ? f : null;
        if (parts.Length == 2 && fraction is not (> 0 and < 1))
            throw new ArgumentException($"The schedule's warmup fraction must be a number between 0 and 1, not '{parts[1]}'.");
        return parts[0] switch
        {
            "constant" or "none" when parts.Length == 1 => new ConstantRate(),
            "one-cycle" or "onecycle" => new OneCycle(fraction ?? OneCycle.DefaultWarmup),
            "cosine" => new WarmupCosine(fraction ?? WarmupCosine.DefaultWarmup),
            _ => throw new ArgumentException($"Unknown schedule '{text}'. Known: {string.Join(", ", Names)} (one-cycle and cosine take ':FRACTION' of warmup steps)."),
        };
    }

    /// <summary>Half a cosine from <paramref name="from"/> to <paramref name="to"/> as <paramref name="progress"/> goes from 0 to 1.</summary>
    protected static double CosineBetween(double from, double to, double progress) =>
        to + (from - to) * (1 + Math.Cos(Math.PI * Math.Clamp(progress, 0, 1))) / 2;
}

/// <summary>The optimizer's rate throughout (what training does without a schedule).</summary>
public sealed record ConstantRate : LearningRateSchedule
{
    public override double RateAt(long step, long totalSteps, double peak) => peak;
    public override string ToString() => "constant";
}

/// <summary>
/// Smith's one-cycle policy as PyTorch's OneCycleLR draws it: from peak/<see cref="StartDivisor"/> up to the peak over
/// the first <see cref="Warmup"/> of the steps, then down to peak/(StartDivisor x <see cref="EndDivisor"/>), both by cosine.
/// </summary>
public sealed record OneCycle(double Warmup = OneCycle.DefaultWarmup, double StartDivisor = 25, double EndDivisor = 1e4) : LearningRateSchedule
{
    public const double DefaultWarmup = 0.25;

    public override double RateAt(long step, long totalSteps, double peak)
    {
        double start = peak / StartDivisor, end = start / EndDivisor;
        // PyTorch ends the rise at step Warmup*total - 1 and the fall at step total - 1.
        double peakStep = Math.Max(Warmup * totalSteps - 1, 0), lastStep = Math.Max(totalSteps - 1, 1);
        return step <= peakStep
            ? CosineBetween(start, peak, peakStep == 0 ? 1 : step / peakStep)
            : CosineBetween(peak, end, (step - peakStep) / Math.Max(lastStep - peakStep, 1));
    }

    public override string ToString() => FormattableString.Invariant($"one-cycle (peak after {Warmup:P0} of the steps)");
}

/// <summary>A linear warmup from 0 to the peak over the first <see cref="Warmup"/> of the steps, then half a cosine down to 0.</summary>
public sealed record WarmupCosine(double Warmup = WarmupCosine.DefaultWarmup) : LearningRateSchedule
{
    public const double DefaultWarmup = 0.05;

    public override double RateAt(long step, long totalSteps, double peak)
    {
        double warmupSteps = Warmup * totalSteps;
        if (step < warmupSteps) return peak * (step + 1) / warmupSteps;
        return CosineBetween(peak, 0, (step - warmupSteps) / Math.Max(totalSteps - warmupSteps, 1));
    }

    public override string ToString() => FormattableString.Invariant($"warmup ({Warmup:P0} of the steps) + cosine");
}
