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

    /// <summary>A snapshot of tensors read back from a checkpoint (it owns them).</summary>
    internal WeightsSnapshot(Dictionary<string, Tensor> tensors) => state = tensors;

    /// <summary>The copied tensors by name (a checkpoint writes them).</summary>
    internal IReadOnlyDictionary<string, Tensor> Tensors => state;

    public void RestoreInto(nn.Module module)
    {
        using var noGrad = no_grad();
        foreach (var (name, tensor) in module.state_dict()) tensor.copy_(state[name]);
    }

    /// <summary>Disposing the returned scope restores the snapshot into <paramref name="module"/> and releases it.</summary>
    public IDisposable RestoringInto(nn.Module module) => new Restorer(this, module);

    sealed class Restorer(WeightsSnapshot snapshot, nn.Module module) : IDisposable
    {
        public void Dispose()
        {
            snapshot.RestoreInto(module);
            snapshot.Dispose();
        }
    }

    public void Dispose()
    {
        foreach (var tensor in state.Values) tensor.Dispose();
    }
}
