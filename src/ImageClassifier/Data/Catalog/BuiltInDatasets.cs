using ImageClassifier.Imaging;

namespace ImageClassifier.Data;

/// <summary>
/// The datasets <see cref="DatasetCatalog"/> knows by name. URLs and MD5s are the ones the authors
/// publish and torchvision uses (checked against torchvision/datasets/mnist.py and the CIFAR page).
/// </summary>
public static class BuiltInDatasets
{
    public static DatasetEntry FashionMnist { get; } = new(
        "fashion-mnist",
        "Zalando's article images: 28x28 grayscale clothing in 10 classes",
        DatasetFormat.Idx,
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"],
        new ImageShape(1, 28, 28), 60_000, 10_000,
        IdxFiles(
            ["http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
             "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/"],
            "8d4fb7e6c68d591d4c3dfef9ec88bf0d", "25c81989df183df01b3e8a0aad5dffbe",
            "bef4ecab320f06d8554ea6380940ec79", "bb300cfdad3c16e7a12a480ee83cd310"))
    {
        SystemPackage = "dataset-fashion-mnist",
        Homepage = "https://github.com/zalandoresearch/fashion-mnist",
        // Why local files are not checked against the MD5s above.
        Notes = "Debian's dataset-fashion-mnist package recompressed the .gz files, so their checksums differ from the " +
                "published ones; files found on disk are validated by the reader (headers, sizes, counts), not by the .gz checksum.",
    };

    public static DatasetEntry Mnist { get; } = new(
        "mnist",
        "Handwritten digits: 28x28 grayscale in 10 classes",
        DatasetFormat.Idx,
        ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
        new ImageShape(1, 28, 28), 60_000, 10_000,
        // yann.lecun.com often refuses downloads now; torchvision's S3 mirror comes first.
        IdxFiles(
            ["https://ossci-datasets.s3.amazonaws.com/mnist/", "http://yann.lecun.com/exdb/mnist/"],
            "f68b3c2dcbeaaa9fbdd348bbdeb94873", "d53e105ee54ea40749a09fcbcd1e9432",
            "9fb629c4189551a2d022fa330f9573f3", "ec29112dd5afa0611ce80d1b7f02629c"))
    {
        Homepage = "http://yann.lecun.com/exdb/mnist/",
    };

    public static DatasetEntry Cifar10 { get; } = new(
        "cifar10",
        "Tiny natural images: 32x32 colour in 10 classes (binary version)",
        DatasetFormat.Cifar10Binary,
        Cifar10Reader.StandardClassNames,
        Cifar10Reader.Shape, 50_000, 10_000,
        [new DatasetFile(Cifar10Reader.ArchiveName,
            [new Uri("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz")],
            Checksum.Md5("c32a1d4ab5d03f1284b67883e8d87530"))])
    {
        Homepage = "https://www.cs.toronto.edu/~kriz/cifar.html",
    };

    public static IReadOnlyList<DatasetEntry> All { get; } = [FashionMnist, Mnist, Cifar10];

    /// <summary>The four gzip IDX files under each base URL, MD5s in the order train images, train labels, test images, test labels.</summary>
    public static IReadOnlyList<DatasetFile> IdxFiles(IReadOnlyList<string> baseUrls, params string[] md5s) =>
        [.. IdxFolder.Stems.Select((stem, i) => new DatasetFile(
            stem + ".gz",
            [.. baseUrls.Select(baseUrl => new Uri(new Uri(baseUrl), stem + ".gz"))],
            Checksum.Md5(md5s[i])))];
}
