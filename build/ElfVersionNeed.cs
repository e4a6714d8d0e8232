// Marks one GNU version need of an ELF64 shared library as weak (VER_FLG_WEAK), in place.
//
// Why: TorchSharp 0.107's libLibTorchSharp.so asks libstdc++ for GLIBCXX_3.4.32 (GCC 13), which
// Debian 12 does not have. The only symbol bound to that version (_ZSt21ios_base_library_initv)
// has no relocation, so nothing needs it at run time; glibc's loader accepts a missing version
// need that is flagged weak. Debian's patchelf cannot do this (it leaves the need in place).
//
// This file is compiled twice: as an MSBuild inline task (TorchNativeFix.targets) and, with
// ELF_PATCHER_NO_TASK defined, into the tests.
#nullable enable
using System;
using System.IO;
using System.Text;

public static class ElfVersionNeed
{
    const uint ShtGnuVerneed = 0x6ffffffe;
    const ushort VerFlagWeak = 0x2;

    public enum Result { Patched, AlreadyWeak, NotNeeded, NotElf64 }

    /// <summary>Sets VER_FLG_WEAK on the need for <paramref name="version"/> (e.g. GLIBCXX_3.4.32).</summary>
    public static Result MarkWeak(string path, string version)
    {
        byte[] elf = File.ReadAllBytes(path);
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F'
            || elf[4] != 2 /* ELFCLASS64 */ || elf[5] != 1 /* little endian */)
            return Result.NotElf64;

        long shoff = (long)BitConverter.ToUInt64(elf, 0x28);
        int shentsize = BitConverter.ToUInt16(elf, 0x3A);
        int shnum = BitConverter.ToUInt16(elf, 0x3C);
        for (int i = 0; i < shnum; i++)
        {
            long sh = shoff + (long)i * shentsize;
            if (BitConverter.ToUInt32(elf, (int)sh + 4) != ShtGnuVerneed) continue;
            long offset = (long)BitConverter.ToUInt64(elf, (int)sh + 24);
            int strtabIndex = (int)BitConverter.ToUInt32(elf, (int)sh + 40);
            int needCount = (int)BitConverter.ToUInt32(elf, (int)sh + 44);
            long strtab = (long)BitConverter.ToUInt64(elf, (int)(shoff + (long)strtabIndex * shentsize) + 24);

            long need = offset;
            for (int n = 0; n < needCount; n++)
            {
                int auxCount = BitConverter.ToUInt16(elf, (int)need + 2);
                long aux = need + BitConverter.ToUInt32(elf, (int)need + 8);
                for (int a = 0; a < auxCount; a++)
                {
                    string name = ReadString(elf, strtab + BitConverter.ToUInt32(elf, (int)aux + 8));
                    if (name == version)
                    {
                        ushort flags = BitConverter.ToUInt16(elf, (int)aux + 4);
                        if ((flags & VerFlagWeak) != 0) return Result.AlreadyWeak;
                        BitConverter.GetBytes((ushort)(flags | VerFlagWeak)).CopyTo(elf, (int)aux + 4);
                        WriteAtomically(path, elf);
                        return Result.Patched;
                    }
                    aux += BitConverter.ToUInt32(elf, (int)aux + 12);
                }
                need += BitConverter.ToUInt32(elf, (int)need + 12);
            }
        }
        return Result.NotNeeded;
    }

    /// <summary>True when the library file defines <paramref name="version"/> (its name appears in it).</summary>
    public static bool Defines(string libraryPath, string version)
    {
        byte[] bytes = File.ReadAllBytes(libraryPath);
        byte[] needle = Encoding.ASCII.GetBytes(version + "\0");
        for (int i = 0; i + needle.Length <= bytes.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && bytes[i + j] == needle[j]) j++;
            if (j == needle.Length && (i == 0 || bytes[i - 1] == 0)) return true;
        }
        return false;
    }

    static string ReadString(byte[] elf, long at)
    {
        int end = (int)at;
        while (elf[end] != 0) end++;
        return Encoding.ASCII.GetString(elf, (int)at, end - (int)at);
    }

    static void WriteAtomically(string path, byte[] bytes)
    {
        string temp = path + ".patching";
        File.WriteAllBytes(temp, bytes);
        File.Copy(temp, path, overwrite: true); // netstandard2.0 (inline tasks) has no File.Move overwrite
        File.Delete(temp);
    }
}

#if !ELF_PATCHER_NO_TASK
/// <summary>MSBuild task: makes every libLibTorchSharp.so under Directory loadable on this machine.</summary>
public class FixTorchSharpNatives : Microsoft.Build.Utilities.Task
{
    const string Version = "GLIBCXX_3.4.32";
    static readonly string[] LibStdCxxPaths =
    {
        "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
    };

    [Microsoft.Build.Framework.Required] public string Directory { get; set; } = "";

    public override bool Execute()
    {
        if (!System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Linux) || !System.IO.Directory.Exists(Directory)) return true;
        string? libstdcxx = Array.Find(LibStdCxxPaths, File.Exists);
        if (libstdcxx == null || ElfVersionNeed.Defines(libstdcxx, Version)) return true; // nothing to fix here
        foreach (string lib in System.IO.Directory.EnumerateFiles(Directory, "libLibTorchSharp.so", SearchOption.AllDirectories))
        {
            var result = ElfVersionNeed.MarkWeak(lib, Version);
            if (result == ElfVersionNeed.Result.Patched)
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.High, $"{lib}: {Version} marked weak ({libstdcxx} lacks it)");
        }
        return true;
    }
}
#endif
