using ImageClassifier.Engine;
using ImageClassifier.Recipes;

namespace ImageClassifier.Tests.Engine;

public class ComputePrecisionTests
{
    [Fact]
    public void A_policy_holds_for_its_scope_and_auto_follows_the_cpu()
    {
        Assert.False(ComputePrecision.BFloat16);
        using (ComputePrecision.Use("bfloat16"))
        {
            Assert.True(ComputePrecision.BFloat16);
            using (ComputePrecision.Use("float32")) Assert.False(ComputePrecision.BFloat16);
            Assert.True(ComputePrecision.BFloat16);
        }
        Assert.False(ComputePrecision.BFloat16);
        using (ComputePrecision.Use("auto")) Assert.Equal(ComputePrecision.NativeBFloat16, ComputePrecision.BFloat16);
        // /proc/cpuinfo's flags, read the same way here.
        string flags = File.ReadLines("/proc/cpuinfo").First(l => l.StartsWith("flags"));
        Assert.Equal(flags.Contains(" amx_bf16") || flags.Contains(" avx512_bf16"), ComputePrecision.NativeBFloat16);
    }

    [Fact]
    public void An_unknown_precision_is_refused_by_name()
    {
        Assert.Equal("float32", ComputePrecision.Validate(null));
        Assert.Equal("bfloat16", ComputePrecision.Validate(" BFloat16 "));
        var error = Assert.Throws<ArgumentException>(() => ComputePrecision.Validate("float16"));
        Assert.Equal("Unknown precision 'float16': use float32, bfloat16, auto.", error.Message);
        Assert.Contains("Unknown precision 'half'", Assert.Throws<ArgumentException>(() => (TrainingRecipe.Default with { Precision = "half" }).Validate()).Message);
    }
}
