using System.CommandLine;
using ImageClassifier.Engine;

namespace ImageClassifier.Cli.Infrastructure;

/// <summary>--precision float32|bfloat16|auto, the <see cref="ComputePrecision"/> policy, for train, bench and predict.</summary>
public static class PrecisionOption
{
    /// <param name="defaultValue">Null: float32, or auto with --pretrained (see TrainingRecipe.PrecisionInUse).</param>
    public static Option<string?> Create(string? defaultValue = "float32")
    {
        var option = new Option<string?>("--precision")
        {
            Description = "The number format convolutions compute in: float32, bfloat16, or auto (bfloat16 where the CPU has it natively, AMX or AVX-512 BF16). "
                + "Conv2D layers and the ResNet backbones follow it; other layers, and ONNX models, stay float32."
                + (defaultValue is null ? " Default: float32, or auto with --pretrained." : ""),
            DefaultValueFactory = _ => defaultValue,
        };
        option.AcceptOnlyFromAmong([.. ComputePrecision.Names]);
        return option;
    }
}
