using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using ImageClassifier.Data;
using ImageClassifier.Imaging;
using ImageClassifier.Models;
using ImageClassifier.Serialization;
using ImageClassifier.Tests.TestSupport;
using SkiaSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace ImageClassifier.Tests.Reliability;

/// <summary>
/// Seeded fuzzing of the project's own parsers: valid IDX (raw and gzip), CIFAR (tar and tar.gz), PNG, JPEG and
/// model files, each mutated (truncated, bits flipped, header fields set to huge values, chunks swapped,
/// bytes inserted or zeroed) and read. Every case must end in the reader's own clear error (DatasetException,
/// ImageDecodeException, ModelFileException: they name the file and the problem) or a correct result
/// (a model file that still loads predicts exactly as the original), within 10 s (no hang), with the
/// process's peak resident memory less than 1 GB above where it started (no decompression bomb gets through).
/// The normal run does 500 cases per format, 2,625 in all (about 20 s here); IMGCLASS_FUZZ_CASES=N
/// sets the cases per format and IMGCLASS_FUZZ_SEED the seed, for a longer run (see docs/RELIABILITY.md).
/// </summary>
public class FuzzTests(ITestOutputHelper output)
{
    const long MemoryBound = 1L << 30;
    static readonly TimeSpan CaseTimeout = TimeSpan.FromSeconds(10);
    static int CasesPerFormat => int.TryParse(Environment.GetEnvironmentVariable("IMGCLASS_FUZZ_CASES"), out int n) && n > 0 ? n : 500;
    static int Seed => int.TryParse(Environment.GetEnvironmentVariable("IMGCLASS_FUZZ_SEED"), out int s) ? s : 12;

    [Fact]
    public void Mutated_idx_files_give_a_clear_error_or_a_dataset()
    {
        using var dir = new TempDirectory();
        string labels = TestImages.Write(dir.File("labels"), IdxFiles.Labels(Enumerable.Range(0, 20).Select(i => i % 4)));
        byte[] raw = IdxFiles.Images(20, 8, 8);
        byte[] gzip = IdxFiles.Gzip(raw);
        string[] classes = ["a", "b", "c", "d"];
        Fuzz("IDX", [raw, gzip], dir, path =>
        {
            var data = IdxReader.Read(path, labels, "fuzz", classes);
            Assert.Equal(data.Count * data.Shape.Size, data.Pixels.Length);
        }, typeof(DatasetException));
        // The labels file, against intact images.
        string images = TestImages.Write(dir.File("images"), raw);
        Fuzz("IDX labels", [File.ReadAllBytes(labels)], dir, path => IdxReader.Read(images, path, "fuzz", classes), typeof(DatasetException), cases: CasesPerFormat / 4);
    }

    [Fact]
    public void Mutated_cifar_archives_give_a_clear_error_or_a_dataset()
    {
        using var dir = new TempDirectory();
        byte[] gzip = CifarFiles.Archive([2, 2, 2, 2, 2, 3]);
        using var tar = new MemoryStream();
        using (var unzip = new GZipStream(new MemoryStream(gzip), CompressionMode.Decompress)) unzip.CopyTo(tar);
        Fuzz("CIFAR", [tar.ToArray(), gzip], dir, path =>
        {
            var splits = Cifar10Reader.Read(path);
            Assert.Equal(10, splits.Train.ClassCount);
        }, typeof(DatasetException), extension: ".tar");
    }

    [Fact]
    public void Mutated_png_and_jpeg_files_give_a_clear_error_or_an_image()
    {
        using var dir = new TempDirectory();
        using var bitmap = TestImages.FromFunction(40, 30, (x, y) => new SKColor((byte)(x * 6), (byte)(y * 8), (byte)(x * y), (byte)(255 - x)));
        byte[] png = TestImages.Png(bitmap), jpeg = TestImages.Jpeg(bitmap);
        void Decode(string path)
        {
            var image = ImageDecoder.DecodeFileNative(path);
            Assert.Equal(image.Width * image.Height * image.Channels, image.Pixels.Length);
            Assert.Equal(3 * 16 * 16, ImageDecoder.DecodeFile(path, new ImageShape(3, 16, 16)).Length);
        }
        Fuzz("PNG", [png], dir, Decode, typeof(ImageDecodeException));
        Fuzz("JPEG", [jpeg], dir, Decode, typeof(ImageDecodeException));
    }

    [Fact]
    public void Mutated_model_files_give_a_clear_error_or_the_same_model()
    {
        using var dir = new TempDirectory();
        manual_seed(5);
        using var model = Classifier.Create("mlp", new ImageShape(1, 8, 8), ["a", "b", "c"]);
        string original = dir.File("original.imgclass");
        model.Save(original);
        using var input = randint(0, 256, [4, 1, 8, 8]).to_type(ScalarType.Byte);
        using var expected = model.PredictProbabilities(input);
        Fuzz("model", [File.ReadAllBytes(original)], dir, path =>
        {
            using var loaded = ModelFile.Load(path);
            using var actual = loaded.PredictProbabilities(input);
            Assert.True(actual.eq(expected).all().item<bool>(), "a damaged model file loaded as a different model");
            Assert.Equal(model.ClassNames, loaded.ClassNames);
        }, typeof(ModelFileException), extension: ".imgclass");
    }

    void Fuzz(string format, byte[][] seeds, TempDirectory dir, Action<string> read, Type clearError, string extension = "", int? cases = null)
    {
        int count = cases ?? CasesPerFormat;
        var random = new Random(HashCode.Combine(Seed, format.Length, format[0]));
        var memory = new PeakMemory();
        var clock = Stopwatch.StartNew();
        var outcomes = new Dictionary<string, int>();
        for (int i = 0; i < count; i++)
        {
            byte[] seed = seeds[i % seeds.Length];
            var (mutated, how) = Mutator.Mutate(seed, random);
            string path = dir.File($"case-{format.Replace(' ', '-')}-{i}{extension}");
            File.WriteAllBytes(path, mutated);
            string description = $"{format} case {i} (seed {Seed}, {how}, {mutated.Length} bytes)";
            var run = Task.Run(() => read(path));
            try
            {
                if (!run.Wait(CaseTimeout)) Assert.Fail($"{description}: no answer after {CaseTimeout.TotalSeconds} s (a hang)");
                outcomes["read"] = outcomes.GetValueOrDefault("read") + 1;
            }
            catch (AggregateException e) when (e.InnerException is { } inner)
            {
                if (!clearError.IsInstanceOfType(inner))
                    Assert.Fail($"{description}: {inner.GetType().Name} instead of a {clearError.Name}: {inner}");
                Assert.Contains(Path.GetFileName(path), inner.Message); // the error names the file
                outcomes[inner.GetType().Name] = outcomes.GetValueOrDefault(inner.GetType().Name) + 1;
            }
            File.Delete(path);
            if (memory.Supported && memory.Growth > MemoryBound)
                Assert.Fail($"{description}: peak resident memory grew by {memory.Growth / 1e6:F0} MB, over the {MemoryBound / 1e6:F0} MB bound");
        }
        output.WriteLine($"{format}: {count} cases in {clock.Elapsed.TotalSeconds:F1} s, seed {Seed}: " +
            string.Join(", ", outcomes.Select(o => $"{o.Value} {o.Key}")) + $"; peak memory growth {memory.Growth / 1e6:F0} MB");
    }
}

/// <summary>Seeded mutations of a valid file: the kinds of damage real files get, and the ones attackers craft.</summary>
public static class Mutator
{
    static readonly uint[] HugeValues = [0xFFFFFFFF, 0x7FFFFFFF, 0x80000000, 0x40000000, 0x00FFFFFF, 0x0001_0000, 0];

    public static (byte[] Bytes, string How) Mutate(byte[] seed, Random random)
    {
        var bytes = (byte[])seed.Clone();
        switch (random.Next(7))
        {
            case 0:
                int keep = random.Next(bytes.Length);
                return (bytes[..keep], $"truncated to {keep}");
            case 1:
                int flips = 1 + random.Next(8);
                for (int f = 0; f < flips; f++) bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                return (bytes, $"{flips} bits flipped");
            case 2:
            {
                // A size or count field set huge: most headers sit in the first bytes.
                int at = random.Next(2) == 0 ? random.Next(Math.Min(64, bytes.Length - 4)) : random.Next(bytes.Length - 4);
                uint value = HugeValues[random.Next(HugeValues.Length)];
                if (random.Next(2) == 0) System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(at), value);
                else System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at), value);
                return (bytes, $"0x{value:X8} written at {at}");
            }
            case 3:
            {
                int length = 1 + random.Next(Math.Max(1, bytes.Length / 8));
                int a = random.Next(bytes.Length - length), b = random.Next(bytes.Length - length);
                var chunk = bytes.AsSpan(a, length).ToArray();
                bytes.AsSpan(b, length).CopyTo(bytes.AsSpan(a, length));
                chunk.CopyTo(bytes.AsSpan(b, length));
                return (bytes, $"{length} bytes at {a} and {b} swapped");
            }
            case 4:
            {
                int at = random.Next(bytes.Length);
                var inserted = new byte[1 + random.Next(64)];
                random.NextBytes(inserted);
                return ([.. bytes[..at], .. inserted, .. bytes[at..]], $"{inserted.Length} random bytes inserted at {at}");
            }
            case 5:
            {
                int at = random.Next(bytes.Length), length = Math.Min(1 + random.Next(256), bytes.Length - at);
                bytes.AsSpan(at, length).Clear();
                return (bytes, $"{length} bytes zeroed at {at}");
            }
            default:
            {
                int at = random.Next(bytes.Length);
                var tail = new byte[random.Next(1 << 12)];
                random.NextBytes(tail);
                return ([.. bytes[..at], .. tail], $"cut at {at} and {tail.Length} random bytes appended");
            }
        }
    }
}
