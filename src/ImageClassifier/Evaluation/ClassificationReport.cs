namespace ImageClassifier.Evaluation;

/// <summary>
/// Per-class precision, recall, F1 and support with accuracy, macro and weighted averages:
/// scikit-learn's <c>classification_report(y_true, y_pred, labels=range(n), target_names=names,
/// zero_division=z)</c>, following precision_recall_fscore_support and _prf_divide (1.3 and later).
/// <list type="bullet">
/// <item>Every class of the model has a row, also one the data never shows (support 0).</item>
/// <item>With tp the diagonal count, P the times the class was predicted and T its support:
/// precision = tp/P, recall = tp/T, F1 = 2tp/(T+P) (equal to 2PR/(P+R) whenever that is defined).</item>
/// <item>A 0/0 becomes the zero_division value: precision when P = 0 (never predicted), recall when
/// T = 0 (absent from the labels), F1 only when T + P = 0 (absent from both). So a class that is
/// present but never predicted has precision z, recall 0 and F1 0, whatever z is.</item>
/// <item><see cref="ZeroDivision.Warn"/> sets 0 and lists each (metric, class) in <see cref="Warnings"/>;
/// the other settings warn about nothing, as in scikit-learn.</item>
/// <item>Accuracy is correct/total, the micro average. scikit-learn prints it as an "accuracy" row
/// unless some class is absent from both labels and predictions; then (its labels no longer equal
/// the classes seen) it prints a "micro avg" row with accuracy as precision, recall and F1 alike.
/// <see cref="AccuracyRow"/> says which.</item>
/// <item>Macro average: the plain mean over all classes, zero-support classes included (they
/// count as z); NaN values are left out, and all NaN gives NaN.</item>
/// <item>Weighted average: the mean weighted by support, so zero-support classes weigh nothing;
/// NaN values are left out with their weights, and if the remaining weights sum to 0 it is their
/// plain mean (scikit-learn's _nanaverage).</item>
/// <item>The averages' support is the number of samples. At least one sample is needed.</item>
/// </list>
/// </summary>
public sealed class ClassificationReport
{
    ClassificationReport(IReadOnlyList<ClassMetrics> classes, double accuracy, AverageMetrics macro, AverageMetrics weighted,
        IReadOnlyList<UndefinedMetric> warnings, ZeroDivision zeroDivision, bool someClassUnseen)
    {
        AccuracyRow = someClassUnseen ? "micro avg" : "accuracy";
        Classes = classes;
        Accuracy = accuracy;
        MacroAvg = macro;
        WeightedAvg = weighted;
        Warnings = warnings;
        ZeroDivision = zeroDivision;
    }

    public IReadOnlyList<ClassMetrics> Classes { get; }
    public double Accuracy { get; }
    public AverageMetrics MacroAvg { get; }
    public AverageMetrics WeightedAvg { get; }

    /// <summary>The metrics that were 0/0 and set to 0; empty unless zero_division is Warn.</summary>
    public IReadOnlyList<UndefinedMetric> Warnings { get; }

    public ZeroDivision ZeroDivision { get; }

    /// <summary>"accuracy", or "micro avg" when some class has neither samples nor predictions (as scikit-learn labels it).</summary>
    public string AccuracyRow { get; }

    public int Total => MacroAvg.Support;

    /// <summary>The report for labels and predictions (classes 0..classNames.Count-1).</summary>
    public static ClassificationReport Compute(int[] labels, int[] predicted, IReadOnlyList<string> classNames, ZeroDivision zeroDivision = ZeroDivision.Warn) =>
        From(ConfusionMatrix.From(labels, predicted, classNames.Count), classNames, zeroDivision);

    /// <summary>The report for labels and predictions, classes named by their index as scikit-learn does.</summary>
    public static ClassificationReport Compute(int[] labels, int[] predicted, int classCount, ZeroDivision zeroDivision = ZeroDivision.Warn) =>
        From(ConfusionMatrix.From(labels, predicted, classCount), null, zeroDivision);

    /// <summary>The report from a confusion matrix; <paramref name="classNames"/> default to "0", "1", ...</summary>
    public static ClassificationReport From(ConfusionMatrix matrix, IReadOnlyList<string>? classNames = null, ZeroDivision zeroDivision = ZeroDivision.Warn)
    {
        int n = matrix.ClassCount;
        classNames ??= Enumerable.Range(0, n).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        MetricInputs.CheckNames(classNames, n);
        int total = matrix.Total;
        MetricInputs.CheckNotEmpty(total, "a classification report");

        var warnings = new List<UndefinedMetric>();
        var classes = new ClassMetrics[n];
        for (int c = 0; c < n; c++)
        {
            int tp = matrix[c, c], predicted = matrix.PredictedCount(c), support = matrix.Support(c);
            double precision = Divide(tp, predicted, "precision", "no predicted samples");
            double recall = Divide(tp, support, "recall", "no true samples");
            double f1 = Divide(2.0 * tp, support + predicted, "f1-score", "no true nor predicted samples");
            classes[c] = new ClassMetrics(c, classNames[c], precision, recall, f1, support);

            double Divide(double numerator, int denominator, string metric, string why)
            {
                if (denominator != 0) return numerator / denominator;
                if (zeroDivision == ZeroDivision.Warn)
                    warnings.Add(new UndefinedMetric(metric, c, classNames[c],
                        $"{Capitalised(metric)} is ill-defined and being set to 0.0 for class '{classNames[c]}' ({why}). Use zero_division to control this."));
                return zeroDivision.Value();
            }
        }

        double[] supports = classes.Select(m => (double)m.Support).ToArray();
        AverageMetrics Average(double[]? weights) => new(
            NanAverage(classes.Select(m => m.Precision).ToArray(), weights),
            NanAverage(classes.Select(m => m.Recall).ToArray(), weights),
            NanAverage(classes.Select(m => m.F1Score).ToArray(), weights),
            total);
        bool someClassUnseen = Enumerable.Range(0, n).Any(c => matrix.Support(c) == 0 && matrix.PredictedCount(c) == 0);
        return new ClassificationReport(classes, matrix.Correct / (double)total, Average(null), Average(supports), warnings, zeroDivision, someClassUnseen);
    }

    /// <summary>scikit-learn's text report (<c>print(classification_report(..., digits=digits))</c>), character for character.</summary>
    public string ToText(int digits = 2) => ClassificationReportText.Format(this, digits);

    /// <summary>A value as scikit-learn's report prints it: Python's fixed-point format (ties to even, NaN as "nan").</summary>
    public static string FormatValue(double value, int digits) => ClassificationReportText.Fixed(value, digits);

    /// <summary>The mean leaving NaN out, as scikit-learn's _nanaverage.</summary>
    static double NanAverage(double[] values, double[]? weights)
    {
        var kept = Enumerable.Range(0, values.Length).Where(i => !double.IsNaN(values[i])).ToArray();
        if (kept.Length == 0) return double.NaN;
        double weightSum = weights is null ? 0 : kept.Sum(i => weights[i]);
        if (weights is null || weightSum == 0) return kept.Sum(i => values[i]) / kept.Length;
        return kept.Sum(i => values[i] * weights[i]) / weightSum;
    }

    static string Capitalised(string metric) => metric == "f1-score" ? "F-score" : char.ToUpperInvariant(metric[0]) + metric[1..];
}
