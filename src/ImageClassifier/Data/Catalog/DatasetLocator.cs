using ImageClassifier.Imaging;

namespace ImageClassifier.Data;

/// <summary>Where <see cref="DatasetCatalog"/> looks for a named dataset, and whether it may download it.</summary>
public sealed record DatasetLocator
{
    /// <summary>Where Debian's dataset packages put their files (one folder per dataset).</summary>
    public const string DebianRoot = "/usr/share/datasets";

    /// <summary>A folder holding the dataset's files, searched first.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>The system-wide folder of datasets; null skips it (tests do, to stay independent of the machine).</summary>
    public string? SystemRoot { get; init; } = DebianRoot;

    /// <summary>The per-user cache of datasets; null means <see cref="DatasetCache.DefaultRoot"/>.</summary>
    public string? CacheRoot { get; init; }

    /// <summary>Whether a dataset found nowhere may be downloaded into the cache.</summary>
    public bool AllowDownload { get; init; }

    /// <summary>The named datasets; null means <see cref="DatasetCatalog.Entries"/>.</summary>
    public IReadOnlyList<DatasetEntry>? Entries { get; init; }

    public IProgress<DownloadProgress>? Progress { get; init; }

    /// <summary>The downloader to use; null means one with the default HTTP client and timeouts.</summary>
    public Downloader? Downloader { get; init; }

    public CancellationToken CancellationToken { get; init; }

    /// <summary>How a folder of class subfolders is read: image size and channels, strictness.</summary>
    public ImageFolderOptions ImageFolder { get; init; } = new(new ImageShape(3, 64, 64));

    /// <summary>Told the files an image folder skipped (undecodable), so the caller can warn about them.</summary>
    public Action<IReadOnlyList<SkippedFile>>? Skipped { get; init; }

    public string ResolvedCacheRoot => CacheRoot ?? DatasetCache.DefaultRoot();

    public IReadOnlyList<DatasetEntry> ResolvedEntries => Entries ?? DatasetCatalog.Entries;
}
