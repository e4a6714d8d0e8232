using Spectre.Console;

namespace ImageClassifier.Cli.Infrastructure;

/// <summary>Where a command writes: results to Out (stdout), progress and messages to Error, tables through Spectre.</summary>
public sealed class Terminal(TextWriter output, TextWriter error)
{
    public TextWriter Out { get; } = output;
    public TextWriter Error { get; } = error;

    bool IsTerminal => ReferenceEquals(Out, System.Console.Out) && !System.Console.IsOutputRedirected;

    /// <summary>Renders a Spectre table (or other widget) to Out; plain text when Out is not a terminal.</summary>
    public void Render(Spectre.Console.Rendering.IRenderable widget)
    {
        var ansi = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Out),
            Ansi = IsTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = IsTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        });
        if (!IsTerminal) ansi.Profile.Width = 120;
        ansi.Write(widget);
    }

    public void WriteJson<T>(T value) => Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(value, Json.Options));
}
