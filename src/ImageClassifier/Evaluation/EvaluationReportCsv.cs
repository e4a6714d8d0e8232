using ImageClassifier.IO;
using static ImageClassifier.IO.Csv;

namespace ImageClassifier.Evaluation;

/// <summary>The report's tables as CSV (<see cref="Csv"/>: quoted only where needed, round-trip numbers, NaN as "NaN").</summary>
internal static class EvaluationReportCsv
{
    /// <summary>
    /// Laid out as scikit-learn's text report: accuracy sits in the f1-score column, or fills all
    /// three as "micro avg" when some class was never seen (see <see cref="Evaluation.ClassificationReport.AccuracyRow"/>).
    /// </summary>
    public static void ClassificationReport(TextWriter w, ClassificationReport report)
    {
        w.WriteLine("class,precision,recall,f1_score,support");
        foreach (var c in report.Classes) w.WriteLine(Line(c.Name, Number(c.Precision), Number(c.Recall), Number(c.F1Score), Number(c.Support)));
        string accuracy = Number(report.Accuracy);
        w.WriteLine(report.AccuracyRow == "accuracy"
            ? Line("accuracy", "", "", accuracy, Number(report.Total))
            : Line(report.AccuracyRow, accuracy, accuracy, accuracy, Number(report.Total)));
        foreach (var (name, avg) in new[] { ("macro avg", report.MacroAvg), ("weighted avg", report.WeightedAvg) })
            w.WriteLine(Line(name, Number(avg.Precision), Number(avg.Recall), Number(avg.F1Score), Number(avg.Support)));
    }

    /// <summary>The header names the predicted classes; each row starts with its true class.</summary>
    public static void ConfusionMatrix(TextWriter w, ConfusionMatrix matrix, IReadOnlyList<string> names, bool normalized)
    {
        MetricInputs.CheckNames(names, matrix.ClassCount);
        w.WriteLine(Line(names.Prepend(@"true\predicted")));
        var rates = normalized ? matrix.Normalized() : null;
        for (int t = 0; t < matrix.ClassCount; t++)
            w.WriteLine(Line(Enumerable.Range(0, matrix.ClassCount)
                .Select(p => rates is null ? Number(matrix[t, p]) : Number(rates[t, p])).Prepend(names[t])));
    }

    public static void Samples(TextWriter w, IEnumerable<SampleLoss> samples)
    {
        w.WriteLine("index,true_class,true_name,predicted_class,predicted_name,predicted_probability,true_probability,loss");
        foreach (var s in samples)
            w.WriteLine(Line(Number(s.Index), Number(s.TrueClass), s.TrueName, Number(s.PredictedClass), s.PredictedName,
                Number(s.PredictedProbability), Number(s.TrueProbability), Number(s.Loss)));
    }
}
