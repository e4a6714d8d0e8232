using TorchSharp;
using static TorchSharp.torch;

namespace ImageClassifier.Training.Callbacks;

/// <summary>A detached copy of a network's state (parameters and buffers) that can be written back.</summary>
public sealed class WeightsSnapshot : IDisposable
{
    readonly Dictionary<string, Tensor> state;

    public WeightsSnapshot(nn.Module module)
    {
        using var noGrad = no_grad();
        state = module.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
    }

    public void RestoreInto(nn.Module module)
    {
        using var noGrad = no_grad();
        foreach (var (name, tensor) in module.state_dict()) tensor.copy_(state[name]);
    }

    public void Dispose()
    {
        foreach (var tensor in state.Values) tensor.Dispose();
    }
}
