using System.Diagnostics;

namespace ImageClassifier.Tests.TestSupport;

/// <summary>
/// The ONNX project's own validator: Debian's python3-onnx, onnx.checker.check_model(model, full_check=True), which also
/// runs shape inference. Called through /usr/bin/python3 (a pyenv python on PATH may lack the module).
/// </summary>
public static class OnnxChecker
{
    public const string Python = "/usr/bin/python3";

    /// <summary>Why the checker cannot run here, or null when it can.</summary>
    public static string? Unavailable { get; } = Probe();

    /// <summary>Checks every file; returns the checker's output (one "ok FILE" line each), throwing with its message on the first failure.</summary>
    public static string Check(params string[] files)
    {
        const string script = "import sys, onnx\nfor f in sys.argv[1:]:\n    onnx.checker.check_model(onnx.load(f), full_check=True)\n    print('ok', f)\n";
        var (code, output) = RunPython(["-c", script, .. files]);
        if (code != 0) throw new Xunit.Sdk.XunitException($"onnx.checker rejected an exported file:{Environment.NewLine}{output}");
        return output;
    }

    static string? Probe()
    {
        if (!File.Exists(Python)) return $"{Python} is not installed (apt-get install python3-onnx)";
        var (code, output) = RunPython(["-c", "import onnx; print(onnx.__version__)"]);
        return code == 0 ? null : $"{Python} has no onnx module (apt-get install python3-onnx): {output.Trim()}";
    }

    static (int Code, string Output) RunPython(string[] arguments)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + error.Result);
    }
}
