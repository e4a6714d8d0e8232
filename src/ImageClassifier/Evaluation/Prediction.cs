namespace ImageClassifier.Evaluation;

/// <summary>One class and its probability.</summary>
public sealed record ClassScore(int Index, string Name, double Probability);

/// <summary>The top-k classes for one image; <c>Source</c> names the file or dataset item.</summary>
public sealed record Prediction(string Source, IReadOnlyList<ClassScore> Top, string? TrueClass = null, string? Note = null)
{
    public ClassScore Best => Top[0];
}
