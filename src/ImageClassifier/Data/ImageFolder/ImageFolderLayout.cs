namespace ImageClassifier.Data;

/// <summary>Finding class folders, split folders and candidate files in an image folder tree.</summary>
internal static class ImageFolderLayout
{
    public const string Expected = "expected one subfolder per class, each holding images (e.g. cat/1.jpg, dog/2.png)";

    /// <summary>Folder names that hold the test split, in order of preference.</summary>
    public static readonly string[] TestFolderNames = ["test", "val", "valid", "validation"];

    // Dot-folders (.git, .ipynb_checkpoints) and the __MACOSX folder that zips made on a Mac carry are
    // never classes: reading them as classes would silently add an output to the model.
    public static bool IsIgnoredFolder(string name) => name.StartsWith('.') || name == "__MACOSX";

    public static void EnsureFolder(string path)
    {
        if (File.Exists(path))
            throw new DatasetException($"is a file, not a folder; {Expected}", path);
        if (!Directory.Exists(path))
            throw new DatasetException($"folder not found; {Expected}", path);
    }

    /// <summary>The class subfolders (full paths), sorted by name (ordinal, so the order is the same everywhere).</summary>
    public static List<string> ClassFolders(string root)
    {
        var folders = Directory.GetDirectories(root)
            .Where(d => !IsIgnoredFolder(Path.GetFileName(d)))
            .ToList();
        folders.Sort((a, b) => string.CompareOrdinal(Path.GetFileName(a), Path.GetFileName(b)));
        return folders;
    }

    /// <summary>The subfolder of <paramref name="root"/> called <paramref name="name"/>, in any letter case.</summary>
    public static string? Subfolder(string root, string name) =>
        Directory.GetDirectories(root)
            .Where(d => string.Equals(Path.GetFileName(d), name, StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .FirstOrDefault();

    /// <summary>The train/ folder when <paramref name="root"/> is laid out as splits (train/ holds class subfolders).</summary>
    public static string? TrainFolder(string root) =>
        Subfolder(root, "train") is { } train && ClassFolders(train).Count > 0 ? train : null;

    public static string? TestFolder(string root) =>
        TestFolderNames.Select(name => Subfolder(root, name)).FirstOrDefault(folder => folder is not null);

    /// <summary>
    /// Every file under a class folder, nested folders included (except ignored ones), sorted by path.
    /// Hidden files are included on purpose: they are listed as skipped rather than vanishing unexplained.
    /// </summary>
    public static List<string> FilesUnder(string folder)
    {
        var files = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        Collect(folder, files, seen);
        files.Sort(StringComparer.Ordinal);
        return files;
    }

    private static void Collect(string folder, List<string> files, HashSet<string> seen)
    {
        // A symbolic link back up the tree would otherwise recurse forever.
        var real = new DirectoryInfo(folder).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(folder);
        if (!seen.Add(real)) return;
        files.AddRange(Directory.GetFiles(folder));
        foreach (var sub in Directory.GetDirectories(folder))
            if (!IsIgnoredFolder(Path.GetFileName(sub)))
                Collect(sub, files, seen);
    }

    /// <summary>A dataset's name: the folder's own name ("flowers"), or "flowers/train" for a split.</summary>
    public static string NameOf(string folder)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        return Path.GetFileName(full) is { Length: > 0 } name ? name : full;
    }
}
