using System.Globalization;

namespace ImageClassifier.Evaluation.Explain;

/// <summary>One image explained: the heatmap for <see cref="Class"/> and what the model predicted.</summary>
public sealed record Explanation(Heatmap Heatmap, ClassScore Class, ClassScore Predicted, string Layer, CamMethod Method)
{
    /// <summary>"Pred: Sneaker (97.1%)", naming the explained class too when it is another one, and the true class when known.</summary>
    public string Title(string? trueClass = null)
    {
        string title = $"Pred: {Predicted.Name} ({Percent(Predicted.Probability)})";
        if (Class.Index != Predicted.Index) title += $"  ·  {Method.DisplayName()} for {Class.Name} ({Percent(Class.Probability)})";
        if (trueClass is not null) title += $"  ·  True: {trueClass}";
        return title;
    }

    // "97.1%" in every culture (P1 puts a space or a comma in some).
    static string Percent(double p) => (p * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";
}
