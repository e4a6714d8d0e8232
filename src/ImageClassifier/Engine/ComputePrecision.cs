namespace ImageClassifier.Engine;

/// <summary>
/// The number format convolutions compute in, Keras' mixed-precision policy for the CPU: "float32"; "bfloat16"
/// (weights, gradients, batch-norm statistics and the optimiser stay float32; convolutions take bfloat16 copies
/// of their input and weights, as PyTorch's CPU autocast does); or "auto", bfloat16 where the CPU computes it
/// natively (AMX or AVX-512 BF16: about 2x the float32 speed on a Sapphire Rapids core) and float32 elsewhere,
/// where bfloat16 is emulated and slower. Layers that support it read <see cref="BFloat16"/> (Conv2D and the
/// ResNet-9 backbone); every other layer computes in float32. Scoped per async flow, so a run's policy
/// does not leak into another run in the same process.
/// </summary>
public static class ComputePrecision
{
    static readonly AsyncLocal<bool> bfloat16 = new();
    static readonly Lazy<bool> native = new(ReadNativeBFloat16);

    public static IReadOnlyList<string> Names { get; } = ["float32", "bfloat16", "auto"];

    /// <summary>Whether layers that support it compute in bfloat16 in this flow.</summary>
    public static bool BFloat16 => bfloat16.Value;

    /// <summary>The number format this flow's convolutions compute in: "bfloat16" or "float32".</summary>
    public static string Current => BFloat16 ? "bfloat16" : "float32";

    /// <summary>Whether this CPU has bfloat16 instructions (AMX-BF16 or AVX512-BF16).</summary>
    public static bool NativeBFloat16 => native.Value;

    /// <summary>Checks a policy name; null or empty means float32.</summary>
    public static string Validate(string? name)
    {
        string value = string.IsNullOrWhiteSpace(name) ? "float32" : name.Trim().ToLowerInvariant();
        return Names.Contains(value) ? value
            : throw new ArgumentException($"Unknown precision '{name}': use {string.Join(", ", Names)}.");
    }

    /// <summary>Whether <paramref name="name"/> computes in bfloat16 on this machine.</summary>
    public static bool Resolves(string? name) => Validate(name) switch
    {
        "bfloat16" => true,
        "auto" => NativeBFloat16,
        _ => false,
    };

    /// <summary>Until disposed, this flow computes with the policy <paramref name="name"/>.</summary>
    public static IDisposable Use(string? name)
    {
        bool previous = bfloat16.Value;
        bfloat16.Value = Resolves(name);
        return new Undo(() => bfloat16.Value = previous);
    }

    static bool ReadNativeBFloat16()
    {
        try
        {
            // Linux lists the CPU's features on each processor's "flags" line.
            var flags = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("flags"))?.Split(' ') ?? [];
            return flags.Contains("amx_bf16") || flags.Contains("avx512_bf16");
        }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
    }
}
