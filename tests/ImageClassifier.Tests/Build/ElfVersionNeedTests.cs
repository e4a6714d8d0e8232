namespace ImageClassifier.Tests.Build;

/// <summary>The build step that lets TorchSharp load on Debian 12 (see build/ElfVersionNeed.cs).</summary>
public class ElfVersionNeedTests
{
    static string? PristineLibrary()
    {
        string root = Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string dir = Path.Combine(root, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native");
        string path = Path.Combine(dir, "libLibTorchSharp.so");
        return File.Exists(path) ? path : null;
    }

    [Fact]
    public void Marks_the_glibcxx_need_weak_once_and_is_idempotent()
    {
        string pristine = PristineLibrary() ?? throw new InvalidOperationException("TorchSharp 0.107.0 is not in the NuGet cache; restore the solution first.");
        using var dir = new ImageClassifier.Tests.TestSupport.TempDirectory();
        string copy = dir.File("libLibTorchSharp.so");
        File.Copy(pristine, copy);

        Assert.Equal(ElfVersionNeed.Result.Patched, ElfVersionNeed.MarkWeak(copy, "GLIBCXX_3.4.32"));
        Assert.Equal(ElfVersionNeed.Result.AlreadyWeak, ElfVersionNeed.MarkWeak(copy, "GLIBCXX_3.4.32"));
        Assert.Equal(ElfVersionNeed.Result.NotNeeded, ElfVersionNeed.MarkWeak(copy, "GLIBCXX_9.9.9"));

        // Exactly one byte (the flags' low byte) changed.
        byte[] before = File.ReadAllBytes(pristine), after = File.ReadAllBytes(copy);
        Assert.Equal(before.Length, after.Length);
        var changed = Enumerable.Range(0, before.Length).Where(i => before[i] != after[i]).ToArray();
        Assert.Single(changed);
        Assert.Equal(before[changed[0]] | 2, after[changed[0]]);
    }

    [Fact]
    public void Leaves_files_that_are_not_elf_alone()
    {
        using var dir = new ImageClassifier.Tests.TestSupport.TempDirectory();
        File.WriteAllText(dir.File("text.so"), "not an ELF file at all, just text");
        Assert.Equal(ElfVersionNeed.Result.NotElf64, ElfVersionNeed.MarkWeak(dir.File("text.so"), "GLIBCXX_3.4.32"));
    }

    [SkippableFact]
    public void Finds_defined_versions_in_a_library()
    {
        string libstdcxx = "/usr/lib/x86_64-linux-gnu/libstdc++.so.6";
        Skip.IfNot(File.Exists(libstdcxx), $"{libstdcxx} is missing: not a Debian-layout x64 machine");
        Assert.True(ElfVersionNeed.Defines(libstdcxx, "GLIBCXX_3.4.30") || ElfVersionNeed.Defines(libstdcxx, "GLIBCXX_3.4.32"));
        Assert.False(ElfVersionNeed.Defines(libstdcxx, "GLIBCXX_9.9.9"));
    }

    [Fact]
    public void The_test_output_loads_libtorch()
    {
        using var t = TorchSharp.torch.ones(3);
        Assert.Equal(3f, t.sum().item<float>());
    }
}
