namespace ImageClassifier.Evaluation;

/// <summary>One class's row of a classification report; support is its number of true samples.</summary>
public sealed record ClassMetrics(int Index, string Name, double Precision, double Recall, double F1Score, int Support);

/// <summary>A macro or weighted average row; support is the total number of samples.</summary>
public sealed record AverageMetrics(double Precision, double Recall, double F1Score, int Support);

/// <summary>
/// A metric that was 0/0 for a class and was set to 0 (scikit-learn's UndefinedMetricWarning).
/// <c>Metric</c> is precision, recall or f1-score.
/// </summary>
public sealed record UndefinedMetric(string Metric, int ClassIndex, string ClassName, string Message);
