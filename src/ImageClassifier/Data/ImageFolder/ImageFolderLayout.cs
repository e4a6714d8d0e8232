using ImageClassifier.IO;

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

    /// <summary>
    /// The train/ folder when <paramref name="root"/> is laid out as splits: train/ holds class subfolders and
    /// every other subfolder is a split (test/, val/, ...). A train/ folder of subfolders beside other folders
    /// is ambiguous (a split layout with stray folders, or a class called "train" whose images sit in
    /// subfolders): reading either way would silently drop or invent classes, so it is an error.
    /// </summary>
    public static string? TrainFolder(string root)
    {
        if (Subfolder(root, "train") is not { } train || ClassFolders(train).Count == 0) return null;
        var others = ClassFolders(root).Select(Path.GetFileName)
            .Where(name => !name!.Equals("train", StringComparison.OrdinalIgnoreCase)
                && !TestFolderNames.Contains(name, StringComparer.OrdinalIgnoreCase))
            .ToList();
        if (others.Count > 0)
            throw new DatasetException(
                $"is ambiguous: it has a {Path.GetFileName(train)}/ folder of subfolders (a train/test split layout) beside the folders " +
                $"{string.Join(", ", others.Take(5))}{(others.Count > 5 ? ", ..." : "")} (a layout of one folder per class). " +
                "For splits keep only train/ and test/ (or val/) here; for classes, rename the folder called train or move its images out of its subfolders", root);
        return train;
    }

    public static string? TestFolder(string root) =>
        TestFolderNames.Select(name => Subfolder(root, name)).FirstOrDefault(folder => folder is not null);

    /// <summary>
    /// Every file under a class folder, nested folders included (except ignored ones), sorted by path.
    /// Hidden files are included on purpose: they are listed as skipped rather than vanishing unexplained.
    /// Symbolic links to folders are followed once, except those that lead back into the dataset
    /// (<paramref name="root"/>, a folder inside it, or one above it): those would add its images again under
    /// another class, or loop. They, and links that cannot be resolved (loops), go to <paramref name="skipped"/>.
    /// </summary>
    public static List<string> FilesUnder(string folder, string? root = null, List<SkippedFile>? skipped = null)
    {
        var files = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string realRoot = FileKinds.RealPath(root ?? folder);
        Collect(folder, realRoot, files, seen, skipped);
        files.Sort(StringComparer.Ordinal);
        return files;
    }

    private static void Collect(string folder, string realRoot, List<string> files, HashSet<string> seen, List<SkippedFile>? skipped)
    {
        // The canonical path: a link back up the tree would otherwise recurse forever.
        if (!seen.Add(FileKinds.RealPath(folder))) return;
        files.AddRange(Directory.GetFiles(folder));
        foreach (var sub in Directory.GetDirectories(folder))
        {
            if (IsIgnoredFolder(Path.GetFileName(sub))) continue;
            if (new DirectoryInfo(sub).LinkTarget is not null && LinkProblem(sub, realRoot) is { } problem)
            {
                skipped?.Add(new SkippedFile(sub, problem));
                continue;
            }
            Collect(sub, realRoot, files, seen, skipped);
        }
    }

    // Why a symbolic link to a folder is not followed, or null when it leads outside the dataset.
    private static string? LinkProblem(string link, string realRoot)
    {
        string target = FileKinds.RealPath(link);
        if (!Directory.Exists(target))
            return "a symbolic link that cannot be resolved (a loop or a missing target): not followed";
        if (IsWithin(target, realRoot) || IsWithin(realRoot, target))
            return $"a symbolic link to {target}, inside or above the dataset folder: not followed, since its images would be read again (under another class)";
        return null;
    }

    private static bool IsWithin(string path, string folder) =>
        path == folder || path.StartsWith(Path.TrimEndingDirectorySeparator(folder) + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    /// <summary>A dataset's name: the folder's own name ("flowers"), or "flowers/train" for a split.</summary>
    public static string NameOf(string folder)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        return Path.GetFileName(full) is { Length: > 0 } name ? name : full;
    }
}
