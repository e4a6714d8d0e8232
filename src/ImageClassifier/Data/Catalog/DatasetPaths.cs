namespace ImageClassifier.Data;

/// <summary>Reads a dataset given by its path, deciding the reader from what is there.</summary>
internal static class DatasetPaths
{
    public static DatasetSplits Load(string path, DatasetLocator options)
    {
        var entries = options.ResolvedEntries;
        if (File.Exists(path))
        {
            // The only single-file dataset is an archive of CIFAR-10 batches; its reader explains what else it finds.
            if (path.EndsWith(".tar.gz", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".tgz", StringComparison.OrdinalIgnoreCase)
                || path.EndsWith(".tar", StringComparison.OrdinalIgnoreCase))
                return Cifar10Reader.Read(path);
            string hint = path.Contains("ubyte", StringComparison.OrdinalIgnoreCase)
                ? $" For IDX files, give their folder: {Path.GetDirectoryName(Path.GetFullPath(path))}"
                : "";
            throw new DatasetException(
                "not a dataset: a dataset is a folder (of IDX files, CIFAR-10 batches, or one subfolder of images per class) " +
                $"or {Cifar10Reader.ArchiveName}.{hint}", path);
        }
        if (!Directory.Exists(path))
            throw new DatasetException(
                "no such file or folder; give a dataset folder or archive, or one of the named datasets: " +
                string.Join(", ", entries.Select(e => e.Name)) + ".", path);

        string name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(path)));
        if (IdxFolder.Find(path, requireTest: false, out var missing) is { } idx)
            return idx.Read(name, IdxClassNames(path, idx, entries));
        if (IdxFolder.HasAny(path))
            throw new DatasetException($"incomplete IDX dataset: missing {string.Join(", ", missing)}.", path);
        if (Cifar10Reader.Locate(path) is not null)
            return Cifar10Reader.Read(path);
        if (Directory.EnumerateDirectories(path).Any(d => !Path.GetFileName(d).StartsWith('.')))
            return LoadImageFolder(path, options);
        throw new DatasetException(
            "no dataset found in this folder: expected IDX files (train-images-idx3-ubyte[.gz] and the others), " +
            $"CIFAR-10 batches ({Cifar10Reader.FolderName}/ or {Cifar10Reader.ArchiveName}), or one subfolder of images per class.", path);
    }

    /// <summary>A folder of class subfolders (train/&lt;class&gt;/*.png, or &lt;class&gt;/*.png); skipped files go to the locator.</summary>
    private static DatasetSplits LoadImageFolder(string path, DatasetLocator options)
    {
        var result = ImageFolderReader.ReadSplits(path, options.ImageFolder);
        if (result.Skipped.Count > 0) options.Skipped?.Invoke(result.Skipped);
        return result.Splits;
    }

    /// <summary>
    /// IDX files carry no class names: take them from the catalog entry the folder is named after
    /// (Debian's fashion-mnist, torchvision's FashionMNIST/raw), else number the classes.
    /// </summary>
    private static IReadOnlyList<string> IdxClassNames(string folder, IdxFolder files, IReadOnlyList<DatasetEntry> entries)
    {
        var dir = new DirectoryInfo(Path.GetFullPath(folder));
        for (int level = 0; level < 2 && dir is not null; level++, dir = dir.Parent)
        {
            var entry = entries.FirstOrDefault(e => e.Format == DatasetFormat.Idx && Normalize(e.Name) == Normalize(dir.Name));
            if (entry is not null) return entry.ClassNames;
        }
        var labels = IdxReader.ReadLabels(files.TrainLabels);
        int max = labels.DefaultIfEmpty(0).Max();
        // Numbered classes are 0..max: a label byte flipped to 200 would otherwise make a 201-class model.
        var counts = new int[max + 1];
        foreach (int label in labels) counts[label]++;
        var empty = Enumerable.Range(0, max + 1).Where(c => counts[c] == 0).ToList();
        if (empty.Count > 0)
            throw new DatasetException(
                $"the labels run from 0 to {max}, but {empty.Count} of those {max + 1} classes have no training image " +
                $"(e.g. {string.Join(", ", empty.Take(5))}); the labels file is damaged, or its classes are not numbered 0..N-1. " +
                "Name the folder after its dataset (e.g. fashion-mnist) to use that dataset's classes.", files.TrainLabels);
        return [.. Enumerable.Range(0, max + 1).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))];
    }

    private static string Normalize(string name) => new([.. name.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant)]);
}
