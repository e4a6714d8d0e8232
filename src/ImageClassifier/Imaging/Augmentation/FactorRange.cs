using System.Globalization;

namespace ImageClassifier.Imaging.Augmentation;

/// <summary>
/// A range [Lower, Upper] that a per-sample random amount is drawn from, as Keras' preprocessing layers take
/// their factors: a single factor f means [-f, f].
/// </summary>
public readonly record struct FactorRange(double Lower, double Upper)
{
    public static FactorRange Symmetric(double factor) => new(-factor, factor);

    public bool IsZero => Lower == 0 && Upper == 0;

    /// <summary>Throws when the range is reversed or reaches outside [min, max].</summary>
    public FactorRange Check(string what, double min, double max)
    {
        if (double.IsNaN(Lower) || double.IsNaN(Upper) || Lower > Upper)
            throw new ArgumentException($"The {what} range [{Format(Lower)}, {Format(Upper)}] is not a range (lower must not exceed upper).");
        if (Lower < min || Upper > max)
            throw new ArgumentOutOfRangeException(what, $"The {what} factor must stay within [{Format(min)}, {Format(max)}], not [{Format(Lower)}, {Format(Upper)}].");
        return this;
    }

    public override string ToString() => Lower == -Upper ? $"±{Format(Upper)}" : $"[{Format(Lower)}, {Format(Upper)}]";

    static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
