using System.Runtime.InteropServices;

namespace ImageClassifier.Cli.Infrastructure;

/// <summary>
/// SIGINT (Ctrl+C) and SIGTERM while training: the first asks training to stop after the current batch and write a
/// checkpoint (<see cref="Token"/> is cancelled); a second one ends the process at once, as the signal would (the
/// checkpoints already written are whole: they are only ever renamed into place). SIGXFSZ is ignored, so that a
/// file-size limit (ulimit -f) makes a write fail with a message instead of killing the process.
/// </summary>
public sealed class StopSignals : IDisposable
{
    /// <summary>The exit code of a run stopped by a signal: 128 + SIGINT's number, as shells report it.</summary>
    public const int ExitCode = 130;
    const int SIGXFSZ = 25; // the same on Linux and macOS

    readonly CancellationTokenSource source = new();
    readonly List<PosixSignalRegistration> registrations = [];
    readonly TextWriter error;
    int received;

    StopSignals(TextWriter error) => this.error = error;

    public CancellationToken Token => source.Token;

    public static StopSignals Register(TextWriter error)
    {
        var signals = new StopSignals(error);
        signals.registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, signals.Handle));
        signals.registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, signals.Handle));
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
            signals.registrations.Add(PosixSignalRegistration.Create((PosixSignal)SIGXFSZ, context => context.Cancel = true));
        return signals;
    }

    void Handle(PosixSignalContext context)
    {
        if (Interlocked.Increment(ref received) > 1) return; // not cancelled: the default action ends the process now
        context.Cancel = true;
        string name = context.Signal == PosixSignal.SIGINT ? "Ctrl+C (SIGINT)" : "SIGTERM";
        error.WriteLine($"{name}: stopping after the current batch and saving a checkpoint; press Ctrl+C again to quit at once.");
        source.Cancel();
    }

    public void Dispose()
    {
        foreach (var registration in registrations) registration.Dispose();
        source.Dispose();
    }
}
