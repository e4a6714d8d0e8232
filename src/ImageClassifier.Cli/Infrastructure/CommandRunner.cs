using System.CommandLine;
using ImageClassifier.Data;
using ImageClassifier.Imaging;
using ImageClassifier.Models;
using ImageClassifier.Serialization;

namespace ImageClassifier.Cli.Infrastructure;

/// <summary>
/// Runs a command's body and turns the errors a user can cause (bad data, bad model files, bad
/// options, missing files) into one clear line on stderr and exit code 1 — never a stack trace.
/// IMGCLASS_DEBUG=1 prints the trace for bug reports.
/// </summary>
public static class CommandRunner
{
    public const int Failure = 1;

    public static void SetRun(this Command command, Func<ParseResult, Terminal, int> body) =>
        command.SetAction(parse =>
        {
            var console = new Terminal(parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error);
            try
            {
                return body(parse, console);
            }
            catch (Exception e) when (IsUserError(e))
            {
                console.Error.WriteLine($"error: {UserMessage(e)}");
                return Failure;
            }
            catch (Exception e)
            {
                console.Error.WriteLine($"error: unexpected {e.GetType().Name}: {e.Message}");
                console.Error.WriteLine(Environment.GetEnvironmentVariable("IMGCLASS_DEBUG") == "1"
                    ? e.ToString()
                    : "This is a bug; run again with IMGCLASS_DEBUG=1 for details and report them.");
                return Failure;
            }
        });

    /// <summary>The message without .NET's parameter decorations ("(Parameter 'fraction')", "Actual value was 1.5."), which name code, not options.</summary>
    public static string UserMessage(Exception e)
    {
        string message = e.Message;
        if (e is ArgumentException argument && argument.ParamName is { } name)
            message = message.Replace($" (Parameter '{name}')", "");
        if (e is ArgumentOutOfRangeException { ActualValue: { } actual })
            message = message.Replace($"{Environment.NewLine}Actual value was {actual}.", "");
        return message.Trim();
    }

    static bool IsUserError(Exception e) => e is DatasetException or ImageDecodeException or ModelException or ModelFileException
        or ArgumentException or IOException or UnauthorizedAccessException or HttpRequestException or OperationCanceledException
        or Training.Checkpoints.NonFiniteLossException;
}
