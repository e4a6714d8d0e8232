using System.Globalization;
using System.Text.RegularExpressions;

namespace ImageClassifier.Tuning;

/// <summary>Wall-clock budgets as people write them: 90s, 30m, 1h, 1h30m, 2.5h.</summary>
public static partial class Durations
{
    [GeneratedRegex(@"^(?:(\d+(?:\.\d+)?)([hms]))+$")]
    private static partial Regex Pattern();

    /// <summary>A duration of hours (h), minutes (m) and seconds (s), such as 30m or 1h30m.</summary>
    public static TimeSpan Parse(string text)
    {
        var match = Pattern().Match(text.Trim().ToLowerInvariant());
        if (!match.Success)
            throw new ArgumentException($"A time budget is a number of hours, minutes or seconds such as 30m, 90s, 1h or 1h30m, not '{text}'.");
        double seconds = 0;
        for (int i = 0; i < match.Groups[1].Captures.Count; i++)
        {
            double value = double.Parse(match.Groups[1].Captures[i].Value, CultureInfo.InvariantCulture);
            seconds += value * match.Groups[2].Captures[i].Value switch { "h" => 3600, "m" => 60, _ => 1 };
        }
        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>Short and whole-second: 45s, 6m12s, 1h02m.</summary>
    public static string Format(TimeSpan span)
    {
        if (span < TimeSpan.Zero) span = TimeSpan.Zero;
        long s = (long)Math.Round(span.TotalSeconds);
        return s < 60 ? $"{s}s" : s < 3600 ? $"{s / 60}m{s % 60:00}s" : $"{s / 3600}h{s % 3600 / 60:00}m";
    }
}
