using System.CommandLine;
using ImageClassifier.Engine;
using ImageClassifier.Inference;
using ImageClassifier.Models;
using static TorchSharp.torch;

namespace ImageClassifier.Cli.Infrastructure;

/// <summary>Threads, device and seed: shared by the commands that run a model.</summary>
public sealed class RuntimeOptions
{
    public readonly Option<int?> Threads = new("--threads") { Description = "CPU threads for libtorch (default: one per core)." };
    public readonly Option<string> Device = new("--device") { Description = "cpu, cuda, cuda:N or auto.", DefaultValueFactory = _ => "cpu" };
    public readonly Option<int> Seed = new("--seed") { Description = "Random seed for initialisation, shuffling and splits.", DefaultValueFactory = _ => 42 };
    public readonly Option<bool> Json = new("--json") { Description = "Print a machine-readable JSON result on stdout (progress goes to stderr)." };

    public void AddTo(Command command, bool seed = true)
    {
        command.Options.Add(Threads);
        command.Options.Add(Device);
        if (seed) command.Options.Add(Seed);
        command.Options.Add(Json);
    }

    /// <summary>
    /// Opens a model to predict with: an exported .onnx file runs on ONNX Runtime with --device and --threads, anything else
    /// is a model file loaded with TorchSharp on --device.
    /// </summary>
    public IImageClassifier OpenModel(ParseResult parse, string path)
    {
        if (!ModelLoader.IsOnnx(path)) return ModelLoader.Open(path, () => Apply(parse), new OnnxRuntimeOptions());
        TorchRuntime.Configure(parse.GetValue(Threads));
        try { return ModelLoader.Open(path, () => TorchSharp.torch.CPU, new OnnxRuntimeOptions(parse.GetValue(Device)!, parse.GetValue(Threads))); }
        catch (ArgumentException e) { throw new ArgumentException($"--device: {e.Message}", e); }
    }

    /// <summary>Configures libtorch from the options and returns the device to use.</summary>
    public Device Apply(ParseResult parse)
    {
        TorchRuntime.Configure(parse.GetValue(Threads));
        TorchRuntime.Seed(parse.GetValue(Seed));
        string device = parse.GetValue(Device)!;
        try { return TorchRuntime.ResolveDevice(device); }
        catch (ArgumentException e) { throw new ArgumentException($"--device: {e.Message}", e); }
    }
}
