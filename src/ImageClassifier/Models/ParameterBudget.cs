using ImageClassifier.IO;

namespace ImageClassifier.Models;

/// <summary>
/// Counts a network's parameters as its layers are built, and refuses the layer that would take it over
/// the limit before that layer allocates anything. Without it, a model file declaring a Dense layer of 2^30
/// units, or `--image-size 2048` on a model that flattens its feature maps, asks libtorch for hundreds of
/// gigabytes (an out-of-memory kill, or a libtorch stack trace). The limit is
/// <see cref="InputLimits.MaxModelParameters"/>, tightened by <see cref="Limit"/> (a model file's weights
/// say how many values they hold).
/// </summary>
public static class ParameterBudget
{
    [ThreadStatic] static long? scopedLimit;
    [ThreadStatic] static string? scopedReason;
    [ThreadStatic] static long used;

    /// <summary>Until disposed, networks built on this thread may have at most <paramref name="max"/> parameters; <paramref name="reason"/> explains the limit in the error.</summary>
    public static IDisposable Limit(long max, string reason)
    {
        var (previousLimit, previousReason) = (scopedLimit, scopedReason);
        if (scopedLimit is null || max < scopedLimit) (scopedLimit, scopedReason) = (max, reason);
        return new Engine.Undo(() => (scopedLimit, scopedReason) = (previousLimit, previousReason));
    }

    /// <summary>Starts counting for one network; nested builds count into the outer one. Layers built outside
    /// any network (a layer on its own) are checked one at a time.</summary>
    internal static IDisposable Begin()
    {
        if (depth++ == 0) used = 0;
        return new Engine.Undo(() => { if (--depth == 0) used = 0; });
    }

    [ThreadStatic] static int depth;

    /// <summary>Claims <paramref name="count"/> parameters (weights and buffers) for <paramref name="layer"/>, before it allocates them.</summary>
    internal static void Claim(double count, string layer)
    {
        long global = InputLimits.MaxModelParameters;
        long limit = scopedLimit is long scoped ? Math.Min(scoped, global) : global;
        double total = depth > 0 ? used + count : count;
        if (total <= limit)
        {
            if (depth > 0) used += (long)count;
            return;
        }
        string why = scopedLimit is long s && s < global
            ? scopedReason!
            : $"the limit is {global / 1e6:N0} million ({global * 4.0 / (1L << 30):F1} GB of float32 weights, several times that to train; " +
              $"{InputLimits.RaiseHint("IMGCLASS_MAX_MODEL_MILLION_PARAMETERS")}). A smaller image size, or global pooling before the dense layers, shrinks it";
        throw new ModelException($"The model is too large: {layer} needs {count:N0} parameters, which takes it past {limit:N0}; {why}.");
    }
}
