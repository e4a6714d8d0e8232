using System.Globalization;
using System.Text;

namespace ImageClassifier.Evaluation;

/// <summary>scikit-learn's plain-text classification report layout, with Python's number formatting.</summary>
internal static class ClassificationReportText
{
    const string LongestHeading = "weighted avg";

    public static string Format(ClassificationReport report, int digits)
    {
        if (digits < 0) throw new ArgumentException($"digits must be 0 or more, not {digits}.");
        int width = Math.Max(Math.Max(report.Classes.Max(c => c.Name.Length), LongestHeading.Length), digits);
        var text = new StringBuilder();
        text.Append(' ', width).Append(' ');
        foreach (string header in new[] { "precision", "recall", "f1-score", "support" }) text.Append(' ').Append(header.PadLeft(9));
        text.Append("\n\n");
        foreach (var c in report.Classes) Row(c.Name, c.Precision, c.Recall, c.F1Score, c.Support);
        text.Append('\n');
        if (report.AccuracyRow == "accuracy")
            text.Append("accuracy".PadLeft(width)).Append(' ')
                .Append(' ', 20).Append(' ').Append(Fixed(report.Accuracy, digits).PadLeft(9))
                .Append(' ').Append(report.Total.ToString(CultureInfo.InvariantCulture).PadLeft(9)).Append('\n');
        else
            Row(report.AccuracyRow, report.Accuracy, report.Accuracy, report.Accuracy, report.Total);
        Row("macro avg", report.MacroAvg.Precision, report.MacroAvg.Recall, report.MacroAvg.F1Score, report.MacroAvg.Support);
        Row(LongestHeading, report.WeightedAvg.Precision, report.WeightedAvg.Recall, report.WeightedAvg.F1Score, report.WeightedAvg.Support);
        return text.ToString();

        void Row(string name, double precision, double recall, double f1, int support)
        {
            text.Append(name.PadLeft(width)).Append(' ');
            foreach (double value in new[] { precision, recall, f1 }) text.Append(' ').Append(Fixed(value, digits).PadLeft(9));
            text.Append(' ').Append(support.ToString(CultureInfo.InvariantCulture).PadLeft(9)).Append('\n');
        }
    }

    /// <summary>
    /// Python's <c>f"{value:.{digits}f}"</c>. .NET rounds an exact tie such as 0.125 up; Python
    /// rounds it to even (0.12). A tie has at most digits+1 binary fraction digits, so it is
    /// recognised exactly by scaling with a power of two.
    /// </summary>
    public static string Fixed(double value, int digits)
    {
        if (double.IsNaN(value)) return "nan";
        if (double.IsInfinity(value)) return value > 0 ? "inf" : "-inf";
        string longer = value.ToString("F" + (digits + 1), CultureInfo.InvariantCulture);
        double scaled = Math.ScaleB(value, digits + 1);
        if (longer[^1] == '5' && scaled == Math.Floor(scaled))
            return decimal.Round(decimal.Parse(longer, CultureInfo.InvariantCulture), digits, MidpointRounding.ToEven)
                .ToString("F" + digits, CultureInfo.InvariantCulture);
        return value.ToString("F" + digits, CultureInfo.InvariantCulture);
    }
}
