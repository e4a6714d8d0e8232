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
        ExplainCommand.Create(),
        SummaryCommand.Create(),
        InspectCommand.Create(),
        DatasetsCommand.Create(),
        AugmentCommand.Create(),
        CvCommand.Create(),
        TuneCommand.Create(),
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
        return Build().Parse(args).Invoke(configuration);
    }
}
