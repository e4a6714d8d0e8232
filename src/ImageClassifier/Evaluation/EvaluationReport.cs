using ImageClassifier.IO;

namespace ImageClassifier.Evaluation;

/// <summary>
/// Everything there is to say about a model's results on a labelled dataset: the scalar metrics,
/// the classification report, the confusion matrix and the error analysis, with writers for
/// JSON (<see cref="ToJson"/>) and CSV, and <see cref="WriteTo"/> for a folder of both.
/// <c>Loss</c> is the evaluator's cross-entropy (from logits); <c>LogLoss</c> is scikit-learn's,
/// from the clipped probabilities; they agree to about float32 precision.
/// </summary>
public sealed record EvaluationReport(
    string Dataset, IReadOnlyList<string> ClassNames, int Images, double Loss, double Accuracy,
    int TopK, double TopKAccuracy, double LogLoss,
    ClassificationReport ClassificationReport, ConfusionMatrix ConfusionMatrix,
    IReadOnlyList<SampleLoss> TopLosses, IReadOnlyList<ClassExamples> WorstPerClass, IReadOnlyList<ConfusedPair> MostConfused)
{
    /// <summary>
    /// The report for an evaluation. <paramref name="topK"/> is capped at the number of classes;
    /// <paramref name="examples"/> is how many top losses, worst samples per class and confused
    /// pairs to keep.
    /// </summary>
    public static EvaluationReport From(EvaluationResult result, int topK = 5, int examples = 10, ZeroDivision zeroDivision = ZeroDivision.Warn)
    {
        if (topK < 1) throw new ArgumentException($"top-k must be at least 1, not {topK}.");
        var names = result.ClassNames;
        var matrix = ConfusionMatrix.From(result.Labels, result.Predicted, names.Count);
        var report = ClassificationReport.From(matrix, names, zeroDivision);
        int k = Math.Min(topK, names.Count);
        return new EvaluationReport(
            result.Dataset, names, result.Count, result.Loss, report.Accuracy,
            k, Metrics.TopKAccuracy(result.Probabilities, result.Labels, k), Metrics.LogLoss(result.Probabilities, result.Labels),
            report, matrix,
            ErrorAnalysis.TopLosses(result.Probabilities, result.Labels, result.Predicted, names, examples),
            ErrorAnalysis.WorstPerClass(result.Probabilities, result.Labels, result.Predicted, names, examples),
            ErrorAnalysis.MostConfused(matrix, names, examples));
    }

    /// <summary>The whole report as indented JSON with snake_case keys (NaN as "NaN").</summary>
    public string ToJson() => EvaluationReportJson.Serialize(this);

    /// <summary>The classification report as CSV: one row per class, then accuracy, macro avg and weighted avg.</summary>
    public void WriteClassificationReportCsv(TextWriter writer) => EvaluationReportCsv.ClassificationReport(writer, ClassificationReport);

    /// <summary>The confusion matrix as CSV with class names along both axes (rows true, columns predicted).</summary>
    public void WriteConfusionMatrixCsv(TextWriter writer, bool normalized = false) => EvaluationReportCsv.ConfusionMatrix(writer, ConfusionMatrix, ClassNames, normalized);

    /// <summary>The top losses as CSV, worst first.</summary>
    public void WriteTopLossesCsv(TextWriter writer) => EvaluationReportCsv.Samples(writer, TopLosses);

    /// <summary>The files <see cref="WriteTo"/> writes.</summary>
    public static readonly IReadOnlyList<string> FileNames =
        ["metrics.json", "classification_report.csv", "confusion_matrix.csv", "confusion_matrix_normalized.csv", "top_losses.csv"];

    /// <summary>Writes <see cref="FileNames"/> into <paramref name="folder"/> (created if missing) and returns their paths.</summary>
    public IReadOnlyList<string> WriteTo(string folder)
    {
        Directory.CreateDirectory(folder);
        var writers = new Action<TextWriter>[]
        {
            w => w.WriteLine(ToJson()),
            WriteClassificationReportCsv,
            w => WriteConfusionMatrixCsv(w),
            w => WriteConfusionMatrixCsv(w, normalized: true),
            WriteTopLossesCsv,
        };
        return FileNames.Zip(writers, (name, write) =>
        {
            string path = Path.Combine(folder, name);
            AtomicFile.Write(path, stream =>
            {
                using var writer = new StreamWriter(stream, leaveOpen: true);
                write(writer);
            });
            return path;
        }).ToArray();
    }
}
