namespace ImageClassifier.Tests.TestSupport;

/// <summary>The repository's root folder (the one holding ImageClassifier.slnx), for tests that read its sources and files.</summary>
public static class RepositoryRoot
{
    static readonly Lazy<string> path = new(() =>
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(System.IO.Path.Combine(folder.FullName, "ImageClassifier.slnx"))) return folder.FullName;
        throw new InvalidOperationException($"No ImageClassifier.slnx above {AppContext.BaseDirectory}.");
    });

    public static string Path => path.Value;
}
