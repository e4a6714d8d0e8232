namespace ImageClassifier.Evaluation;

/// <summary>
/// What an ill-defined precision, recall or F1 (a 0/0) becomes: scikit-learn's
/// <c>zero_division</c> parameter.
/// </summary>
public enum ZeroDivision
{
    /// <summary>0, with a warning naming the metric and class ("warn", scikit-learn's default).</summary>
    Warn,
    /// <summary>0, silently.</summary>
    Zero,
    /// <summary>1, silently.</summary>
    One,
    /// <summary>NaN, silently; averages then leave those classes out.</summary>
    NaN,
}

public static class ZeroDivisionNames
{
    /// <summary>Parses warn, 0, 1 or nan (as the CLI and scikit-learn spell them).</summary>
    public static ZeroDivision Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "warn" => ZeroDivision.Warn,
        "0" => ZeroDivision.Zero,
        "1" => ZeroDivision.One,
        "nan" => ZeroDivision.NaN,
        _ => throw new ArgumentException($"zero_division must be warn, 0, 1 or nan, not '{text}'."),
    };

    /// <summary>The scikit-learn spelling: warn, 0, 1 or nan.</summary>
    public static string Name(this ZeroDivision value) => value switch
    {
        ZeroDivision.Warn => "warn",
        ZeroDivision.Zero => "0",
        ZeroDivision.One => "1",
        _ => "nan",
    };

    internal static double Value(this ZeroDivision value) => value switch
    {
        ZeroDivision.One => 1.0,
        ZeroDivision.NaN => double.NaN,
        _ => 0.0,
    };
}
