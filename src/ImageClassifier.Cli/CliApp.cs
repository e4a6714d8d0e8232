using System.CommandLine;
using ImageClassifier.Cli.Commands;

namespace ImageClassifier.Cli;

/// <summary>The imgclass command line: parsing here, the work in the library.</summary>
public static class CliApp
{
    public static RootCommand Build() => new("imgclass: train, evaluate, explain and deploy image classifiers (TorchSharp).")
    {
        TrainCommand.Create(),
        EvaluateCommand.Create(),
        ReportCommand.Create(),
        PredictCommand.Create(),
        ExportCommand.Create(),
        ExplainCommand.Create(),
        ServeCommand.Create(),
        SummaryCommand.Create(),
        InspectCommand.Create(),
        DatasetsCommand.Create(),
        AugmentCommand.Create(),
        CvCommand.Create(),
        TuneCommand.Create(),
        LrFindCommand.Create(),
        BenchCommand.Create(),
        AuditCommand.Create(),
    };

    /// <summary>Runs a command line; output and error can be captured (tests do).</summary>
    public static int Run(string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        var configuration = new InvocationConfiguration
        {
            Output = output ?? Console.Out,
            Error = error ?? Console.Error,
            EnableDefaultExceptionHandler = false, // CommandRunner turns errors into messages
        };
        var parse = Build().Parse(args);
        if (parse.Errors.Any(e => e.Message.Contains("System.")) && parse.Action is System.CommandLine.Invocation.ParseErrorAction)
        {
            // System.CommandLine names .NET types ("System.Nullable`1[System.Int32]"): say what a user types instead.
            foreach (var parseError in parse.Errors) configuration.Error.WriteLine($"error: {Readable(parseError.Message)}");
            string command = parse.CommandResult == parse.RootCommandResult ? "imgclass" : "imgclass " + parse.CommandResult.Command.Name;
            configuration.Error.WriteLine($"Run '{command} --help' for the options.");
            return 1;
        }
        return parse.Invoke(configuration);
    }

    static string Readable(string message) => System.Text.RegularExpressions.Regex.Replace(message,
        @"'?System\.Nullable`1\[System\.(\w+)\]'?|'?System\.(Int32|Int64|Double|Single|Boolean|String)'?", m =>
            (m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value) switch
            {
                "Int32" or "Int64" => "a whole number",
                "Double" or "Single" => "a number",
                "Boolean" => "true or false",
                _ => "text",
            });
}
