using ImageClassifier.Data;

namespace ImageClassifier.Audit;

/// <summary>
/// The files an audit reads: every file under the class subfolders of the training folder and of the test folder,
/// with its split ("train" or "test") and class. The layouts are those training reads: DATA with train/ and
/// test/ (or val/, valid/, validation/) folders of class subfolders, or DATA as class subfolders with the test
/// data given apart. Classes are the union of both splits' folder names, sorted ordinally.
/// </summary>
public sealed record FolderListing(IReadOnlyList<(string Path, string Split, int Label)> Files, IReadOnlyList<string> ClassNames,
    string TrainFolder, string? TestFolder)
{
    public const string Train = "train";
    public const string Test = "test";

    public static FolderListing Of(string data, string? test = null)
    {
        ImageFolderLayout.EnsureFolder(data);
        string trainFolder = ImageFolderLayout.TrainFolder(data) ?? data;
        string? testFolder = test;
        if (test is not null) ImageFolderLayout.EnsureFolder(test);
        else if (!ReferenceEquals(trainFolder, data)) testFolder = ImageFolderLayout.TestFolder(data);
        if (testFolder is not null && ImageFolderLayout.TrainFolder(testFolder) is null && ImageFolderLayout.TestFolder(testFolder) is { } nested)
            testFolder = nested; // --test given as a folder with a test/ inside

        var trainClasses = ClassFolders(trainFolder);
        var testClasses = testFolder is null ? [] : ClassFolders(testFolder);
        var names = trainClasses.Concat(testClasses).Select(f => Path.GetFileName(f)!).Distinct().Order(StringComparer.Ordinal).ToList();
        var files = new List<(string, string, int)>();
        Add(files, trainClasses, Train, names);
        Add(files, testClasses, Test, names);
        if (files.Count == 0)
            throw new DatasetException($"no files in its class folders; {ImageFolderLayout.Expected}", data);
        return new FolderListing(files, names, Path.GetFullPath(trainFolder), testFolder is null ? null : Path.GetFullPath(testFolder));
    }

    static List<string> ClassFolders(string folder)
    {
        var classes = ImageFolderLayout.ClassFolders(folder);
        if (classes.Count == 0) throw new DatasetException($"has no class subfolders; {ImageFolderLayout.Expected}", folder);
        return classes;
    }

    static void Add(List<(string, string, int)> files, List<string> classFolders, string split, List<string> names)
    {
        foreach (var folder in classFolders)
        {
            int label = names.IndexOf(Path.GetFileName(folder)!);
            files.AddRange(ImageFolderLayout.FilesUnder(folder).Select(f => (Path.GetFullPath(f), split, label)));
        }
    }
}
