using System.CommandLine;
using ImageClassifier.Cli.Infrastructure;
using ImageClassifier.Evaluation;

namespace ImageClassifier.Cli.Commands;

/// <summary>
/// imgclass evaluate: a saved model's metrics on a dataset's test (or train) split: loss, accuracy,
/// top-k accuracy, log loss, the classification report, the confusion matrix and the error analysis.
/// </summary>
public static class EvaluateCommand
{
    public static Command Create()
    {
        var inputs = new EvaluationInputs();
        var topK = new Option<int>("--top-k", "-k") { Description = "k for top-k accuracy (at most the number of classes).", DefaultValueFactory = _ => 5 };
        var examples = new Option<int>("--examples") { Description = "How many top losses, worst samples per class and confused pairs to report.", DefaultValueFactory = _ => 10 };
        var zeroDivision = new Option<string>("--zero-division") { Description = "What a 0/0 precision, recall or F1 becomes: warn (0, with a warning), 0, 1 or nan (as scikit-learn).", DefaultValueFactory = _ => "warn" };
        zeroDivision.AcceptOnlyFromAmong("warn", "0", "1", "nan");
        var output = new Option<string?>("--output", "-o") { Description = "A folder to save metrics.json and the CSV tables in." };
        var tta = TtaOption.Create();

        var command = new Command("evaluate", "Evaluate a trained model on a dataset: accuracy, per-class metrics, confusion matrix and its worst mistakes.");
        inputs.AddTo(command);
        foreach (var option in new Option[] { topK, examples, zeroDivision, output, tta }) command.Options.Add(option);
        command.SetRun((parse, terminal) =>
        {
            var (model, dataset) = inputs.LoadAny(parse, terminal);
            using var _ = model;
            var augmentation = TtaOption.Parse(parse, tta);
            var result = model.Evaluate(dataset, parse.GetValue(inputs.BatchSize), augmentation);
            if (augmentation is not null) terminal.Error.WriteLine($"Test-time augmentation: {augmentation}");
            var report = EvaluationReport.From(result, parse.GetValue(topK), parse.GetValue(examples), ZeroDivisionNames.Parse(parse.GetValue(zeroDivision)!));

            bool json = parse.GetValue(inputs.Runtime.Json);
            foreach (var warning in report.ClassificationReport.Warnings) terminal.Error.WriteLine($"warning: {warning.Message}");
            if (json) terminal.Out.WriteLine(report.ToJson());
            else EvaluationTables.Write(report, terminal);
            if (parse.GetValue(output) is string folder)
            {
                report.WriteTo(folder);
                (json ? terminal.Error : terminal.Out).WriteLine($"Wrote {string.Join(", ", EvaluationReport.FileNames)} to {folder}");
            }
            return 0;
        });
        return command;
    }
}
