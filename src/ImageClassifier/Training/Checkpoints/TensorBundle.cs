using TorchSharp;
using static TorchSharp.torch;

namespace ImageClassifier.Training.Checkpoints;

/// <summary>Named tensors as bytes: a count, then each name and the tensor in TorchSharp's own format (dtype, shape, data).</summary>
internal static class TensorBundle
{
    public static byte[] ToBytes(IEnumerable<KeyValuePair<string, Tensor>> tensors)
    {
        var list = tensors.ToList();
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(list.Count);
            foreach (var (name, tensor) in list)
            {
                writer.Write(name);
                using var detached = tensor.detach();
                using var cpu = detached.cpu();
                using var contiguous = cpu.contiguous();
                contiguous.Save(writer);
            }
        }
        return buffer.ToArray();
    }

    /// <summary>The tensors in <paramref name="bytes"/>, on the CPU; the caller owns them.</summary>
    public static Dictionary<string, Tensor> FromBytes(byte[] bytes)
    {
        using var reader = new BinaryReader(new MemoryStream(bytes));
        int count = reader.ReadInt32();
        if (count < 0 || count > 1_000_000) throw new InvalidDataException($"a tensor bundle cannot hold {count} tensors.");
        var tensors = new Dictionary<string, Tensor>(count);
        try
        {
            for (int i = 0; i < count; i++)
            {
                string name = reader.ReadString();
                tensors[name] = TensorExtensionMethods.Load(reader);
            }
        }
        catch
        {
            foreach (var tensor in tensors.Values) tensor.Dispose();
            throw;
        }
        return tensors;
    }
}
