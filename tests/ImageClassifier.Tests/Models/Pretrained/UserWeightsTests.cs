using System.IO.Compression;
using System.Text;
using ImageClassifier.Models;
using ImageClassifier.Models.Pretrained;
using ImageClassifier.Models.ResNet;
using ImageClassifier.Tests.TestSupport;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace ImageClassifier.Tests.Models.Pretrained;

/// <summary>Weights a user supplies: safetensors, torch.save files (checked before unpickling) and TorchSharp's format.</summary>
public class UserWeightsTests
{
    static readonly string[] Classes = ["a", "b", "c"];
    static ResNetModule SmallResNet(int[]? widths = null) => new(new ResNetBackbone([3, 3, 3], widths ?? [16, 32, 64], SmallInput: true), 3);

    static void AssertSameWeights(nn.Module expected, nn.Module actual)
    {
        var loaded = actual.state_dict();
        foreach (var (name, tensor) in expected.state_dict().Where(kv => !kv.Key.EndsWith("num_batches_tracked")))
            Assert.True(tensor.equal(loaded[name]).all().item<bool>(), name);
    }

    [Theory]
    [InlineData("weights.safetensors")]
    [InlineData("weights.pt")]
    [InlineData("weights.dat")]
    public void Weights_round_trip_into_the_same_architecture(string file)
    {
        using var dir = new TempDirectory();
        using var source = SmallResNet();
        string path = dir.File(file);
        if (file.EndsWith(".safetensors")) source.save_safetensors(path);      // PyBridge, as Python's safetensors writes it
        else if (file.EndsWith(".pt")) source.save_py(path);                   // PyBridge, torch.save's zip format
        else source.save(path);                                                // TorchSharp's own format

        using var model = TransferLearning.FromWeightsFile("resnet-small", path, Classes, (32, 32));
        AssertSameWeights(source, TransferLearning.Backbone(model));
        Assert.Equal([0.485f, 0.456f, 0.406f], model.Preprocessing.Mean!);   // torchvision's ImageNet convention
        Assert.Equal("dense", model.Spec.TrainableFrom);                     // the base starts frozen
    }

    [Fact]
    public void Mismatched_names_and_shapes_are_listed_with_the_expected_shapes()
    {
        using var dir = new TempDirectory();
        string narrow = dir.File("narrow.safetensors");
        using (var module = SmallResNet([8, 16, 32])) module.save_safetensors(narrow);
        var shapes = Assert.Throws<ModelException>(() => TransferLearning.FromWeightsFile("resnet-small", narrow, Classes, (32, 32)));
        Assert.Contains("do not match", shapes.Message);
        Assert.Contains("conv1.weight is [8, 3, 3, 3], expected [16, 3, 3, 3]", shapes.Message);

        string resnet18 = dir.File("resnet18.safetensors");
        using (var module = new ResNetModule(new ResNetBackbone([2, 2, 2, 2]), 3)) module.save_safetensors(resnet18);
        var names = Assert.Throws<ModelException>(() => TransferLearning.FromWeightsFile("resnet34", resnet18, Classes, (64, 64)));
        Assert.Contains("Missing (", names.Message);
        Assert.Contains("layer1.2.conv1.weight [64, 64, 3, 3]", names.Message);
    }

    [Theory]
    [InlineData("GLOBAL", "os.system")]
    [InlineData("STACK_GLOBAL", "builtins.eval")]
    public void A_pickle_that_would_run_code_is_refused_before_unpickling(string opcode, string global)
    {
        using var dir = new TempDirectory();
        string path = dir.File("evil.pt");
        WriteTorchZip(path, opcode == "GLOBAL" ? GlobalCall("os", "system", "echo owned") : StackGlobalCall("builtins", "eval", "1+1"));
        var error = Assert.Throws<ModelException>(() => StateDictFile.Read(path));
        Assert.Contains("refused", error.Message);
        Assert.Contains(global, error.Message);
    }

    [Fact]
    public void Damaged_and_unknown_files_are_clear_errors()
    {
        using var dir = new TempDirectory();
        string garbage = dir.File("garbage.bin");
        File.WriteAllBytes(garbage, Encoding.ASCII.GetBytes("not weights at all"));
        Assert.Contains("not a weights file", Assert.Throws<ModelException>(() => StateDictFile.Read(garbage)).Message);
        string truncated = dir.File("truncated.pt");
        WriteTorchZip(truncated, GlobalCall("collections", "OrderedDict", "x")[..10]);
        Assert.Contains("damaged", Assert.Throws<ModelException>(() => StateDictFile.Read(truncated)).Message);
        Assert.Contains("no such weights file", Assert.Throws<ModelException>(() => StateDictFile.Read(dir.File("none.pt"))).Message);
    }

    // Protocol 2: GLOBAL module name, a string argument, TUPLE1, REDUCE, STOP: module.name(argument) in Python.
    static byte[] GlobalCall(string module, string name, string argument) =>
        [0x80, 2, .. Encoding.ASCII.GetBytes($"c{module}\n{name}\n"), .. BinUnicode(argument), 0x85, (byte)'R', (byte)'.'];

    // Protocol 4: the module and name as strings on the stack, then STACK_GLOBAL.
    static byte[] StackGlobalCall(string module, string name, string argument) =>
        [0x80, 4, .. ShortBinUnicode(module), 0x94, .. ShortBinUnicode(name), 0x94, 0x93, .. BinUnicode(argument), 0x85, (byte)'R', (byte)'.'];

    static byte[] BinUnicode(string s) => [(byte)'X', .. BitConverter.GetBytes(s.Length), .. Encoding.UTF8.GetBytes(s)];
    static byte[] ShortBinUnicode(string s) => [0x8c, (byte)s.Length, .. Encoding.UTF8.GetBytes(s)];

    static void WriteTorchZip(string path, byte[] pickle)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        using (var stream = zip.CreateEntry("archive/data.pkl").Open()) stream.Write(pickle);
        using (var stream = zip.CreateEntry("archive/version").Open()) stream.Write("3\n"u8);
    }
}
