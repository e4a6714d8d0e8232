using System.IO.Compression;
using System.Security.Cryptography;
using ImageClassifier.Data;
using ImageClassifier.Imaging;
using ImageClassifier.Tests.TestSupport;

namespace ImageClassifier.Tests.Data;

public class DatasetCatalogTests
{
    private static readonly string[] Digits = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

    /// <summary>Options that see only the test's folders, never the machine's datasets or the user's cache.</summary>
    private static DatasetLocator Isolated(TempDirectory dir, params DatasetEntry[] entries) => new()
    {
        SystemRoot = dir.File("system"),
        CacheRoot = dir.File("cache"),
        Entries = entries.Length > 0 ? entries : null,
    };

    private static DatasetEntry TinyIdx(int train = 20, int test = 10, IReadOnlyList<string>? baseUrls = null, string[]? md5s = null) => new(
        "tiny", "a tiny IDX dataset", DatasetFormat.Idx, Digits, new ImageShape(1, 28, 28), train, test,
        BuiltInDatasets.IdxFiles(baseUrls ?? ["http://127.0.0.1:9/"], md5s ?? [.. Enumerable.Repeat(new string('0', 32), 4)]));

    private static string Md5(byte[] data) => Convert.ToHexStringLower(MD5.HashData(data));

    [Fact]
    public void Knows_the_three_datasets_with_their_published_files()
    {
        Assert.Equal(["fashion-mnist", "mnist", "cifar10"], DatasetCatalog.Entries.Select(e => e.Name));

        var fashion = DatasetCatalog.Find("Fashion-MNIST")!;
        Assert.Equal(60_000, fashion.TrainCount);
        Assert.Equal(10_000, fashion.TestCount);
        Assert.Equal("Ankle boot", fashion.ClassNames[9]);
        Assert.Equal("dataset-fashion-mnist", fashion.SystemPackage);
        Assert.Contains("recompressed", fashion.Notes);
        Assert.Equal(
            ["8d4fb7e6c68d591d4c3dfef9ec88bf0d", "25c81989df183df01b3e8a0aad5dffbe", "bef4ecab320f06d8554ea6380940ec79", "bb300cfdad3c16e7a12a480ee83cd310"],
            fashion.Files.Select(f => f.Checksum.Hex));
        Assert.Equal("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/train-images-idx3-ubyte.gz", fashion.Files[0].Urls[0].ToString());

        var mnist = DatasetCatalog.Find("mnist")!;
        Assert.Equal("https://ossci-datasets.s3.amazonaws.com/mnist/t10k-labels-idx1-ubyte.gz", mnist.Files[3].Urls[0].ToString());
        Assert.Equal(
            ["f68b3c2dcbeaaa9fbdd348bbdeb94873", "d53e105ee54ea40749a09fcbcd1e9432", "9fb629c4189551a2d022fa330f9573f3", "ec29112dd5afa0611ce80d1b7f02629c"],
            mnist.Files.Select(f => f.Checksum.Hex));

        var cifar = DatasetCatalog.Find("cifar10")!;
        var archive = Assert.Single(cifar.Files);
        Assert.Equal("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz", archive.Urls.Single().ToString());
        Assert.Equal(Checksum.Md5("c32a1d4ab5d03f1284b67883e8d87530"), archive.Checksum);
        Assert.Equal(new ImageShape(3, 32, 32), cifar.Shape);
        Assert.Equal(50_000, cifar.TrainCount);
    }

    [Fact]
    public void Loads_the_real_fashion_mnist_from_debians_folder()
    {
        using var dir = new TempDirectory();
        var splits = DatasetCatalog.Load("fashion-mnist", new DatasetLocator { CacheRoot = dir.Path });

        Assert.Equal(60_000, splits.Train.Count);
        Assert.Equal(10_000, splits.Test!.Count);
        Assert.Equal(10, splits.Train.ClassCount);
        Assert.Equal(new ImageShape(1, 28, 28), splits.Train.Shape);
        Assert.Equal(9, splits.Train.Labels[0]);
        Assert.Equal("Ankle boot", splits.Train.ClassNames[splits.Train.Labels[0]]);
        Assert.All(splits.Train.ClassCounts(), count => Assert.Equal(6000, count));

        using var images = new GZipStream(File.OpenRead(Path.Combine(FashionMnist.Folder, "train-images-idx3-ubyte.gz")), CompressionMode.Decompress);
        Assert.Equal("c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888", Convert.ToHexStringLower(SHA256.HashData(images)));
    }

    [Fact]
    public void Looks_in_the_given_folder_then_the_system_folder_then_the_cache()
    {
        using var dir = new TempDirectory();
        var entry = TinyIdx();
        var options = Isolated(dir, entry);
        IdxFiles.WriteDataset(dir.File("cache/tiny"), 20, 10);
        Assert.Equal(dir.File("cache/tiny"), DatasetCatalog.FindLocal(entry, options));

        IdxFiles.WriteDataset(dir.File("system/tiny"), 20, 10, raw: true);
        Assert.Equal(dir.File("system/tiny"), DatasetCatalog.FindLocal(entry, options));

        IdxFiles.WriteDataset(dir.File("mine"), 20, 10);
        options = options with { DataDirectory = dir.File("mine") };
        Assert.Equal(dir.File("mine"), DatasetCatalog.FindLocal(entry, options));

        var splits = DatasetCatalog.Load("TINY", options);
        Assert.Equal(20, splits.Train.Count);
        Assert.Equal("tiny/train", splits.Train.Name);
        Assert.Equal("tiny/test", splits.Test!.Name);
        Assert.Equal(Digits, splits.Train.ClassNames);
    }

    [Fact]
    public void Not_found_says_where_it_looked_and_what_to_do()
    {
        using var dir = new TempDirectory();
        var options = Isolated(dir) with { DataDirectory = dir.File("given") };
        IdxFiles.WriteDataset(dir.File("given"), 2, 2);
        File.Delete(dir.File("given/t10k-labels-idx1-ubyte.gz"));

        var e = Assert.Throws<DatasetException>(() => DatasetCatalog.Load("mnist", options));
        Assert.Contains("dataset 'mnist' was not found", e.Message);
        Assert.Contains($"{dir.File("given")} (the folder given): missing t10k-labels-idx1-ubyte[.gz]", e.Message);
        Assert.Contains($"{dir.File("system/mnist")}: no such folder", e.Message);
        Assert.Contains($"{dir.File("cache/mnist")} (cache): no such folder", e.Message);
        Assert.Contains("imgclass datasets download mnist", e.Message);
        Assert.Contains("(from https://ossci-datasets.s3.amazonaws.com/mnist/)", e.Message);
        Assert.DoesNotContain("apt-get", e.Message);

        e = Assert.Throws<DatasetException>(() => DatasetCatalog.Load("fashion-mnist", Isolated(dir)));
        Assert.Contains("sudo apt-get install dataset-fashion-mnist", e.Message);
        Assert.Contains("imgclass datasets download fashion-mnist", e.Message);

        Directory.CreateDirectory(dir.File("cache/cifar10"));
        e = Assert.Throws<DatasetException>(() => DatasetCatalog.Load("cifar10", Isolated(dir)));
        Assert.Contains("no cifar-10-batches-bin folder or cifar-10-binary.tar.gz", e.Message);
        Assert.Contains("(from https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz)", e.Message);
    }

    [Fact]
    public void Files_that_are_not_the_dataset_meant_are_rejected()
    {
        using var dir = new TempDirectory();
        IdxFiles.WriteDataset(dir.File("system/tiny"), 7, 10);
        var e = Assert.Throws<DatasetException>(() => DatasetCatalog.Load("tiny", Isolated(dir, TinyIdx())));
        Assert.Equal(dir.File("system/tiny"), e.Path);
        Assert.Contains("holds 7 training and 10 test images", e.Message);
    }

    [Fact]
    public void Corrupt_files_found_locally_are_reported_not_skipped()
    {
        using var dir = new TempDirectory();
        IdxFiles.WriteDataset(dir.File("system/tiny"), 20, 10);
        File.WriteAllBytes(dir.File("system/tiny/train-images-idx3-ubyte.gz"), [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 7, 0]);
        var e = Assert.Throws<DatasetException>(() => DatasetCatalog.Load("tiny", Isolated(dir, TinyIdx()) with { AllowDownload = true }));
        Assert.Equal(dir.File("system/tiny/train-images-idx3-ubyte.gz"), e.Path);
    }

    [Fact]
    public void Downloads_an_idx_dataset_into_the_cache_end_to_end()
    {
        using var server = new LoopbackHttpServer();
        using var dir = new TempDirectory();
        IdxFiles.WriteDataset(dir.File("published"), 20, 10);
        var md5s = new List<string>();
        foreach (string stem in new[] { "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz" })
        {
            byte[] bytes = File.ReadAllBytes(Path.Combine(dir.File("published"), stem));
            server.Add("mirror2/tiny/" + stem, bytes);
            md5s.Add(Md5(bytes));
        }
        // The first mirror has nothing: each file falls back to the second.
        var entry = TinyIdx(baseUrls: [new Uri(server.BaseUrl, "mirror1/").ToString(), new Uri(server.BaseUrl, "mirror2/tiny/").ToString()], md5s: [.. md5s]);
        var reports = new List<DownloadProgress>();
        var options = Isolated(dir, entry) with { AllowDownload = true, Progress = new SyncProgress(reports.Add) };

        var splits = DatasetCatalog.Load("tiny", options);

        Assert.Equal(20, splits.Train.Count);
        Assert.Equal(IdxFiles.Pixels(20, 28, 28), splits.Train.Pixels);
        Assert.Equal(4, Directory.GetFiles(dir.File("cache/tiny")).Length);
        Assert.Contains(reports, r => r.FileName == "t10k-labels-idx1-ubyte.gz" && r.BytesReceived == r.TotalBytes);
        Assert.Equal(8, server.Requests.Count);

        // Found in the cache now: no more requests, and download no longer needed.
        Assert.Equal(20, DatasetCatalog.Load("tiny", options with { AllowDownload = false }).Train.Count);
        Assert.Equal(8, server.Requests.Count);
    }

    [Fact]
    public async Task Failed_download_lists_every_mirror_tried()
    {
        using var server = new LoopbackHttpServer();
        using var dir = new TempDirectory();
        var entry = TinyIdx(baseUrls: [new Uri(server.BaseUrl, "a/").ToString(), new Uri(server.BaseUrl, "b/").ToString()]);

        var e = await Assert.ThrowsAsync<DatasetException>(() => DatasetCatalog.DownloadAsync("tiny", Isolated(dir, entry)));
        Assert.Contains("could not download train-images-idx3-ubyte.gz of 'tiny'", e.Message);
        Assert.Contains(new Uri(server.BaseUrl, "a/train-images-idx3-ubyte.gz").ToString(), e.Message);
        Assert.Contains(new Uri(server.BaseUrl, "b/train-images-idx3-ubyte.gz").ToString(), e.Message);

        var unknown = await Assert.ThrowsAsync<DatasetException>(() => DatasetCatalog.DownloadAsync("imagenet", Isolated(dir)));
        Assert.Contains("known datasets: fashion-mnist, mnist, cifar10", unknown.Message);
    }

    [Fact]
    public void Downloads_a_cifar_archive_end_to_end_and_reads_it_in_place()
    {
        using var server = new LoopbackHttpServer();
        using var dir = new TempDirectory();
        byte[] archive = CifarFiles.Archive([3, 2, 4, 1, 2, 5]);
        var entry = new DatasetEntry("tiny-cifar", "tiny CIFAR", DatasetFormat.Cifar10Binary, Cifar10Reader.StandardClassNames,
            Cifar10Reader.Shape, 12, 5, [new DatasetFile("cifar-10-binary.tar.gz", [server.Add("cifar-10-binary.tar.gz", archive)], Checksum.Md5(Md5(archive)))]);

        var splits = DatasetCatalog.Load("tiny-cifar", Isolated(dir, entry) with { AllowDownload = true });

        Assert.Equal(12, splits.Train.Count);
        Assert.Equal(5, splits.Test!.Count);
        Assert.Equal(["cifar-10-binary.tar.gz"], Directory.GetFiles(dir.File("cache/tiny-cifar")).Select(Path.GetFileName));
    }

    [Fact]
    public void Paths_are_read_by_what_they_hold()
    {
        using var dir = new TempDirectory();
        var options = Isolated(dir);

        IdxFiles.WriteDataset(dir.File("digits"), 6, 4, raw: true, classes: 4);
        var idx = DatasetCatalog.Load(dir.File("digits"), options);
        Assert.Equal(["0", "1", "2", "3"], idx.Train.ClassNames);
        Assert.Equal("digits/train", idx.Train.Name);

        // Named after a catalog dataset (Debian's folder, torchvision's FashionMNIST/raw): its class names.
        IdxFiles.WriteDataset(dir.File("FashionMNIST/raw"), 6, 4);
        Assert.Equal("Ankle boot", DatasetCatalog.Load(dir.File("FashionMNIST/raw"), options).Train.ClassNames[9]);

        // Train files alone are a dataset without a test part.
        IdxFiles.WriteDataset(dir.File("trainonly"), 6, 4);
        File.Delete(dir.File("trainonly/t10k-images-idx3-ubyte.gz"));
        File.Delete(dir.File("trainonly/t10k-labels-idx1-ubyte.gz"));
        Assert.Null(DatasetCatalog.Load(dir.File("trainonly"), options).Test);

        CifarFiles.WriteFolder(dir.File("c"), [1, 1, 1, 1, 1, 2]);
        Assert.Equal(5, DatasetCatalog.Load(dir.File("c"), options).Train.Count);
        Assert.Equal(2, DatasetCatalog.Load(dir.File("c/cifar-10-batches-bin"), options).Test!.Count);
        File.WriteAllBytes(dir.File("cifar-10-binary.tar.gz"), CifarFiles.Archive([1, 1, 1, 1, 1, 2]));
        Assert.Equal(5, DatasetCatalog.Load(dir.File("cifar-10-binary.tar.gz"), options).Train.Count);
    }

    [Fact]
    public void Paths_that_are_not_datasets()
    {
        using var dir = new TempDirectory();
        var options = Isolated(dir);

        var e = Assert.Throws<DatasetException>(() => DatasetCatalog.Load(dir.File("absent"), options));
        Assert.Equal(dir.File("absent"), e.Path);
        Assert.Contains("no such file or folder", e.Message);
        Assert.Contains("fashion-mnist, mnist, cifar10", e.Message);

        Directory.CreateDirectory(dir.File("empty"));
        Assert.Contains("no dataset found in this folder", Assert.Throws<DatasetException>(() => DatasetCatalog.Load(dir.File("empty"), options)).Message);

        IdxFiles.WriteDataset(dir.File("partial"), 2, 2);
        File.Delete(dir.File("partial/train-labels-idx1-ubyte.gz"));
        Assert.Contains("incomplete IDX dataset: missing train-labels-idx1-ubyte[.gz]",
            Assert.Throws<DatasetException>(() => DatasetCatalog.Load(dir.File("partial"), options)).Message);

        Directory.CreateDirectory(dir.File("pets/cat"));
        Directory.CreateDirectory(dir.File("pets/dog"));
        Assert.Contains("no files in its 2 class folders", Assert.Throws<DatasetException>(() => DatasetCatalog.Load(dir.File("pets"), options)).Message);

        // with images, the same folder is read as a dataset of class subfolders
        var options28 = options with { ImageFolder = new ImageFolderOptions(new ImageShape(1, 28, 28)) };
        ImageClassifier.Imaging.ImageEncoder.WritePng(dir.File("pets/cat/1.png"), new byte[28 * 28], new ImageShape(1, 28, 28));
        ImageClassifier.Imaging.ImageEncoder.WritePng(dir.File("pets/dog/1.png"), new byte[28 * 28], new ImageShape(1, 28, 28));
        var pets = DatasetCatalog.Load(dir.File("pets"), options28);
        Assert.Equal(["cat", "dog"], pets.Train.ClassNames);
        Assert.Equal(2, pets.Train.Count);

        File.WriteAllText(dir.File("notes.txt"), "hello");
        Assert.Contains("not a dataset", Assert.Throws<DatasetException>(() => DatasetCatalog.Load(dir.File("notes.txt"), options)).Message);
        Assert.Contains("give their folder",
            Assert.Throws<DatasetException>(() => DatasetCatalog.Load(dir.File("partial/train-images-idx3-ubyte.gz"), options)).Message);
    }

    [Fact]
    public void Cache_folder_follows_the_environment()
    {
        Assert.Equal("/c/datasets", DatasetCache.Resolve(v => v == "IMGCLASS_CACHE" ? "/c" : "/x", "/home/u/.cache"));
        Assert.Equal("/x/imageclassifier/datasets", DatasetCache.Resolve(v => v == "XDG_CACHE_HOME" ? "/x" : null, "/home/u/.cache"));
        Assert.Equal("/home/u/.cache/imageclassifier/datasets", DatasetCache.Resolve(v => v == "XDG_CACHE_HOME" ? "relative" : null, "/home/u/.cache"));
        Assert.Equal("/home/u/.cache/imageclassifier/datasets", DatasetCache.Resolve(_ => "", "/home/u/.cache"));
        Assert.Equal(Path.Combine(new DatasetLocator { CacheRoot = "/r" }.ResolvedCacheRoot, "mnist"),
            DatasetCatalog.CacheFolder(DatasetCatalog.Find("mnist")!, new DatasetLocator { CacheRoot = "/r" }));
    }

    private sealed class SyncProgress(Action<DownloadProgress> report) : IProgress<DownloadProgress>
    {
        public void Report(DownloadProgress value) => report(value);
    }
}
