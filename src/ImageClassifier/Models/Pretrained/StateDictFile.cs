using System.Collections;
using System.IO.Compression;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace ImageClassifier.Models.Pretrained;

/// <summary>
/// Reads a state dict (name to tensor) that a user supplies, recognised by content: safetensors,
/// a PyTorch torch.save zip (its pickle checked by <see cref="PickleGuard"/> first), or TorchSharp's
/// own Module.save format. Reading is done by TorchSharp.PyBridge and TorchSharp; this class only
/// dispatches and turns failures into clear messages.
/// </summary>
public static class StateDictFile
{
    public static Dictionary<string, Tensor> Read(string path)
    {
        if (!File.Exists(path)) throw new ModelException($"{path}: no such weights file.");
        byte[] head = new byte[9];
        int read;
        using (var stream = File.OpenRead(path)) read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (read >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) return ReadTorchZip(path);
        if (read >= 2 && head[0] == 0x80 && head[1] <= 5)
            throw new ModelException($"{path}: a legacy (pre-1.6, not zip) torch.save file; it cannot be read safely. Re-save it with a current PyTorch, or as safetensors.");
        if (read == 9 && head[8] == '{' && BitConverter.ToUInt64(head, 0) < (ulong)new FileInfo(path).Length) return ReadSafetensors(path);
        return ReadTorchSharp(path);
    }

    static Dictionary<string, Tensor> ReadSafetensors(string path)
    {
        try { return Safetensors.LoadStateDict(path); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new ModelException($"{path}: damaged safetensors file ({e.Message}).", e);
        }
    }

    static Dictionary<string, Tensor> ReadTorchZip(string path)
    {
        using (var zip = ZipFile.OpenRead(path))
        {
            var pickle = zip.Entries.FirstOrDefault(e => e.FullName.EndsWith("data.pkl", StringComparison.Ordinal))
                ?? throw new ModelException($"{path}: a zip file without data.pkl: not a torch.save file.");
            using var buffer = new MemoryStream();
            using (var stream = pickle.Open()) stream.CopyTo(buffer);
            PickleGuard.Check(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), path);
        }
        Hashtable table;
        try { table = PyTorchUnpickler.UnpickleStateDict(path); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new ModelException($"{path}: cannot read this torch.save file ({e.Message}). Save a plain state dict: torch.save(model.state_dict(), path).", e);
        }
        var result = new Dictionary<string, Tensor>();
        foreach (DictionaryEntry entry in table)
        {
            if (entry.Value is not Tensor value)
                throw new ModelException($"{path}: entry '{entry.Key}' is not a tensor; save a plain state dict: torch.save(model.state_dict(), path).");
            result[(string)entry.Key] = value;
        }
        return result;
    }

    // TorchSharp's Module.save: a 7-bit encoded count, then (name, tensor) pairs in Tensor.Save's format.
    static Dictionary<string, Tensor> ReadTorchSharp(string path)
    {
        var result = new Dictionary<string, Tensor>();
        try
        {
            using var reader = new BinaryReader(File.OpenRead(path));
            long count = Decode(reader);
            if (count is < 1 or > 1_000_000) throw new InvalidDataException($"it would hold {count} tensors");
            for (long i = 0; i < count; i++)
            {
                string name = reader.ReadString();
                result[name] = Tensor.Load(reader);
            }
            if (reader.BaseStream.Position != reader.BaseStream.Length) throw new InvalidDataException("there are bytes after the last tensor");
            return result;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            foreach (var tensor in result.Values) tensor.Dispose();
            throw new ModelException($"{path}: not a weights file that can be read (safetensors, a torch.save state dict, or TorchSharp's Module.save format): {e.Message}", e);
        }
    }

    static long Decode(BinaryReader reader)
    {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            byte b = reader.ReadByte();
            value |= (long)(b & 0x7f) << shift;
            if ((b & 0x80) == 0) return value;
        }
        throw new InvalidDataException("bad count");
    }
}
