using System.Globalization;
using ImageClassifier.Cli.Infrastructure;
using ImageClassifier.Evaluation;
using Spectre.Console;

namespace ImageClassifier.Cli.Commands;

/// <summary>The tables imgclass evaluate prints: presentation only, every number comes from the <see cref="EvaluationReport"/>.</summary>
internal static class EvaluationTables
{
    /// <summary>Past this many classes a confusion matrix is too wide to read in a terminal; the CSV has it.</summary>
    public const int MaxMatrixClasses = 20;

    const int Digits = 4;

    public static void Write(EvaluationReport report, Terminal terminal)
    {
        terminal.Render(Summary(report));
        terminal.Render(Report(report.ClassificationReport));
        if (report.ClassNames.Count <= MaxMatrixClasses) terminal.Render(ConfusionMatrix(report));
        else terminal.Out.WriteLine($"The confusion matrix of {report.ClassNames.Count} classes is too wide to print: --output DIR saves it as confusion_matrix.csv.");
        if (report.TopLosses.Count > 0) terminal.Render(TopLosses(report.TopLosses));
        if (report.MostConfused.Count > 0) terminal.Render(MostConfused(report));
    }

    static Table Summary(EvaluationReport r) =>
        new Table().AddColumns("Dataset", "Images", "Loss", "Accuracy", $"Top-{r.TopK} accuracy", "Log loss")
            .AddRow(Markup.Escape(r.Dataset), $"{r.Images:N0}", $"{r.Loss:0.0000}", $"{r.Accuracy:P2}", $"{r.TopKAccuracy:P2}", $"{r.LogLoss:0.0000}");

    /// <summary>Laid out as scikit-learn's text report, including its accuracy row.</summary>
    static Table Report(ClassificationReport report)
    {
        var table = new Table { Title = new TableTitle("Classification report") };
        table.AddColumn("");
        foreach (string header in new[] { "precision", "recall", "f1-score", "support" }) table.AddColumn(new TableColumn(header).RightAligned());
        foreach (var c in report.Classes) table.AddRow(Markup.Escape(c.Name), F(c.Precision), F(c.Recall), F(c.F1Score), N(c.Support));
        table.AddEmptyRow();
        string accuracy = F(report.Accuracy);
        if (report.AccuracyRow == "accuracy") table.AddRow("accuracy", "", "", accuracy, N(report.Total));
        else table.AddRow(report.AccuracyRow, accuracy, accuracy, accuracy, N(report.Total));
        foreach (var (name, avg) in new[] { ("macro avg", report.MacroAvg), ("weighted avg", report.WeightedAvg) })
            table.AddRow(name, F(avg.Precision), F(avg.Recall), F(avg.F1Score), N(avg.Support));
        return table;
    }

    /// <summary>Columns are numbered so ten classes fit in 120 characters; the rows say which number is which class.</summary>
    static Table ConfusionMatrix(EvaluationReport r)
    {
        var m = r.ConfusionMatrix;
        var table = new Table { Title = new TableTitle("Confusion matrix"), Caption = new TableTitle("rows: true class, columns: predicted class") };
        table.AddColumn("true \\ predicted");
        for (int p = 0; p < m.ClassCount; p++) table.AddColumn(new TableColumn(N(p)).RightAligned());
        for (int t = 0; t < m.ClassCount; t++)
            table.AddRow(Enumerable.Range(0, m.ClassCount).Select(p => N(m[t, p])).Prepend(Markup.Escape($"{t} {r.ClassNames[t]}")).ToArray());
        return table;
    }

    static Table TopLosses(IReadOnlyList<SampleLoss> losses)
    {
        var table = new Table { Title = new TableTitle("Top losses (most confidently wrong)") }
            .AddColumns("Sample", "True class", "Predicted", "P(predicted)", "P(true)", "Loss");
        foreach (var s in losses)
            table.AddRow(s.Index.ToString(CultureInfo.InvariantCulture), Markup.Escape(s.TrueName), Markup.Escape(s.PredictedName), $"{s.PredictedProbability:P1}", $"{s.TrueProbability:P2}", $"{s.Loss:0.000}");
        return table;
    }

    static Table MostConfused(EvaluationReport r)
    {
        var table = new Table { Title = new TableTitle("Most confused") }.AddColumns("True class", "Predicted as", "Count", "Share of the class");
        foreach (var pair in r.MostConfused)
            table.AddRow(Markup.Escape(pair.TrueName), Markup.Escape(pair.PredictedName), N(pair.Count),
                $"{pair.Count / (double)r.ConfusionMatrix.Support(pair.TrueClass):P1}");
        return table;
    }

    static string F(double value) => ClassificationReport.FormatValue(value, Digits);

    static string N(int value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
