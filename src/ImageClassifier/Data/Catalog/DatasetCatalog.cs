using System.Text;

namespace ImageClassifier.Data;

/// <summary>
/// Named datasets (<c>fashion-mnist</c>, <c>mnist</c>, <c>cifar10</c>): finds their files on this machine,
/// downloads them when allowed, and reads them. Anything that is not a name is read as a path.
/// </summary>
public static class DatasetCatalog
{
    public static IReadOnlyList<DatasetEntry> Entries => BuiltInDatasets.All;

    public static DatasetEntry? Find(string name, DatasetLocator? options = null) =>
        (options?.ResolvedEntries ?? Entries).FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Loads a named dataset, or the dataset at a path (a folder of IDX files, a CIFAR-10 folder or archive).
    /// A name wins over a folder of the same name in the working directory: write <c>./mnist</c> for the folder.
    /// </summary>
    public static DatasetSplits Load(string nameOrPath, DatasetLocator options)
    {
        var entry = Find(nameOrPath, options);
        return entry is null ? DatasetPaths.Load(nameOrPath, options) : Load(entry, options);
    }

    public static DatasetSplits Load(DatasetEntry entry, DatasetLocator options)
    {
        var looked = new List<string>();
        foreach (var (folder, label) in SearchFolders(entry, options))
        {
            var splits = TryRead(entry, folder, out string whyNot);
            if (splits is not null) return Validated(entry, splits, folder);
            looked.Add($"{folder}{label}: {whyNot}");
        }
        if (options.AllowDownload)
        {
            string folder = DownloadAsync(entry, options, options.CancellationToken).GetAwaiter().GetResult();
            return Validated(entry, TryRead(entry, folder, out string whyNot)
                ?? throw new DatasetException($"the download did not give the dataset's files: {whyNot}", folder), folder);
        }
        throw NotFound(entry, options, looked);
    }

    /// <summary>The folders searched for a dataset, in order, with a note on where each comes from.</summary>
    public static IReadOnlyList<(string Folder, string Label)> SearchFolders(DatasetEntry entry, DatasetLocator options)
    {
        var folders = new List<(string, string)>();
        if (options.DataDirectory is { } given) folders.Add((given, " (the folder given)"));
        if (options.SystemRoot is { } system) folders.Add((Path.Combine(system, entry.Name), ""));
        folders.Add((CacheFolder(entry, options), " (cache)"));
        return folders;
    }

    /// <summary>The first searched folder that holds the dataset's files, or null.</summary>
    public static string? FindLocal(DatasetEntry entry, DatasetLocator options) =>
        SearchFolders(entry, options).Select(f => f.Folder).FirstOrDefault(folder => Locate(entry, folder, out _));

    public static string CacheFolder(DatasetEntry entry, DatasetLocator options) =>
        Path.Combine(options.ResolvedCacheRoot, entry.Name);

    public static Task<string> DownloadAsync(string name, DatasetLocator options, CancellationToken cancellationToken = default) =>
        DownloadAsync(Find(name, options) ?? throw new DatasetException(
            $"'{name}' is not a dataset that can be downloaded; known datasets: {string.Join(", ", options.ResolvedEntries.Select(e => e.Name))}."),
            options, cancellationToken);

    /// <summary>
    /// Downloads the dataset's files into its cache folder (skipping files already there, which were
    /// verified when they arrived), trying each file's mirrors in turn. Returns the folder.
    /// </summary>
    public static async Task<string> DownloadAsync(DatasetEntry entry, DatasetLocator options, CancellationToken cancellationToken = default)
    {
        string folder = CacheFolder(entry, options);
        var downloader = options.Downloader ?? new Downloader();
        foreach (var file in entry.Files)
        {
            string destination = Path.Combine(folder, file.FileName);
            if (File.Exists(destination)) continue;
            var failures = new List<string>();
            foreach (var url in file.Urls)
            {
                try
                {
                    await downloader.DownloadAsync(url, destination, file.Checksum, options.Progress, cancellationToken);
                    failures.Clear();
                    break;
                }
                catch (DatasetException e)
                {
                    failures.Add(e.Message);
                }
            }
            if (failures.Count > 0)
                throw new DatasetException(
                    $"could not download {file.FileName} of '{entry.Name}':{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", failures),
                    destination);
        }
        return folder;
    }

    private static bool Locate(DatasetEntry entry, string folder, out string whyNot)
    {
        if (!Directory.Exists(folder))
        {
            whyNot = "no such folder";
            return false;
        }
        switch (entry.Format)
        {
            case DatasetFormat.Idx:
                bool found = IdxFolder.Find(folder, requireTest: true, out var missing) is not null;
                whyNot = found ? "" : "missing " + string.Join(", ", missing);
                return found;
            case DatasetFormat.Cifar10Binary:
                whyNot = $"no {Cifar10Reader.FolderName} folder or {Cifar10Reader.ArchiveName}";
                return Cifar10Reader.Locate(folder) is not null;
            default:
                throw new NotSupportedException($"Dataset format {entry.Format}.");
        }
    }

    private static DatasetSplits? TryRead(DatasetEntry entry, string folder, out string whyNot)
    {
        if (!Locate(entry, folder, out whyNot)) return null;
        return entry.Format switch
        {
            DatasetFormat.Idx => IdxFolder.Find(folder, requireTest: true, out _)!.Read(entry.Name, entry.ClassNames),
            _ => Cifar10Reader.Read(Cifar10Reader.Locate(folder)!),
        };
    }

    /// <summary>
    /// Files found on disk are checked against what the catalog says, not against the published
    /// checksums (Debian recompressed Fashion-MNIST's .gz files): the reader has already checked
    /// headers and sizes, this checks they are the dataset meant.
    /// </summary>
    private static DatasetSplits Validated(DatasetEntry entry, DatasetSplits splits, string folder)
    {
        int test = splits.Test?.Count ?? 0;
        if (splits.Train.Count != entry.TrainCount || test != entry.TestCount || splits.Train.Shape != entry.Shape)
            throw new DatasetException(
                $"holds {splits.Train.Count} training and {test} test images of {splits.Train.Shape}, but '{entry.Name}' has " +
                $"{entry.TrainCount} and {entry.TestCount} of {entry.Shape}; these are not its files or they are damaged: delete them and get the dataset again.",
                folder);
        return splits;
    }

    /// <summary>Where the files come from: their common folder when they share one, else each URL.</summary>
    private static string Source(DatasetEntry entry)
    {
        var urls = entry.Files.Select(f => f.Urls[0]).ToList();
        var folders = urls.Select(url => new Uri(url, ".")).Distinct().ToList();
        return urls.Count > 1 && folders.Count == 1 ? folders[0].ToString() : string.Join(", ", urls);
    }

    private static DatasetException NotFound(DatasetEntry entry, DatasetLocator options, IReadOnlyList<string> looked)
    {
        var message = new StringBuilder($"dataset '{entry.Name}' was not found on this machine. Looked in:");
        foreach (string place in looked) message.Append($"{Environment.NewLine}  - {place}");
        message.Append($"{Environment.NewLine}To get it:");
        if (entry.SystemPackage is { } package)
            message.Append($"{Environment.NewLine}  - install Debian's package: sudo apt-get install {package}");
        message.Append($"{Environment.NewLine}  - or download it into {CacheFolder(entry, options)}: imgclass datasets download {entry.Name}");
        message.Append($"{Environment.NewLine}    (from {Source(entry)})");
        message.Append($"{Environment.NewLine}  - or put {string.Join(", ", entry.Files.Select(f => f.FileName))} in one of the folders above.");
        return new DatasetException(message.ToString());
    }
}
