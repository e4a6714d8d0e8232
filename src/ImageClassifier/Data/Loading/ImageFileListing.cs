using ImageClassifier.Imaging;

namespace ImageClassifier.Data.Loading;

/// <summary>Lists the image files of a class-folder tree for streaming, recognising images by their first bytes.</summary>
internal static class ImageFileListing
{
    public static (ImageFile[] Files, IReadOnlyList<string> ClassNames, SkippedFile[] NotImages) List(
        string folder, IReadOnlyList<string>? classNames, int workers, IReadOnlySet<string>? exclude = null)
    {
        ImageFolderLayout.EnsureFolder(folder);
        var classFolders = ImageFolderLayout.ClassFolders(folder);
        if (classFolders.Count == 0)
            throw new DatasetException($"has no class subfolders; {ImageFolderLayout.Expected}", folder);
        var classes = classNames ?? classFolders.Select(f => Path.GetFileName(f)!).ToList();
        var unknown = classFolders.Select(Path.GetFileName).Where(c => !classes.Contains(c!, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0)
            throw new DatasetException($"classes {string.Join(", ", unknown)} are not among the training classes " +
                "(check the folder names' spelling and letter case)", folder);

        var candidates = new List<ImageFile>();
        var linksSkipped = new List<SkippedFile>();
        foreach (var classFolder in classFolders)
        {
            int label = classes.ToList().IndexOf(Path.GetFileName(classFolder)!);
            candidates.AddRange(ImageFolderLayout.FilesUnder(classFolder, folder, linksSkipped)
                .Where(f => exclude is not { Count: > 0 } || !exclude.Contains(Path.GetFullPath(f)))
                .Select(f => new ImageFile(f, label)));
        }
        if (candidates.Count == 0)
            throw new DatasetException($"no files in its {classFolders.Count} class folders; {ImageFolderLayout.Expected}", folder);

        // Reading 18 bytes per file is cheap next to decoding, and keeps README.txt out of every epoch.
        var reasons = new string?[candidates.Count];
        Parallel.For(0, candidates.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(workers, 1) },
            i => reasons[i] = NotAnImage(candidates[i].Path));
        var files = candidates.Where((_, i) => reasons[i] is null).ToArray();
        var notImages = linksSkipped.Concat(candidates.Select((f, i) => (f, reasons[i])).Where(x => x.Item2 is not null)
            .Select(x => new SkippedFile(x.f.Path, x.Item2!))).ToArray();
        if (files.Length == 0)
            throw new DatasetException($"no image files in its {classFolders.Count} class folders ({notImages.Length} files skipped, " +
                $"e.g. {notImages[0].Path}: {notImages[0].Reason}); {ImageFolderLayout.Expected}", folder);
        return (files, classes, notImages);
    }

    // Why the file is not an image, or null when its first bytes are an image format's.
    static string? NotAnImage(string path)
    {
        if (ImageClassifier.IO.FileKinds.NotRegularReason(path) is { } notRegular) return notRegular;
        try
        {
            Span<byte> header = stackalloc byte[ImageFormats.HeaderLength];
            using var stream = File.OpenRead(path);
            int read = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
            if (read == 0) return "empty file (0 bytes), not an image";
            return ImageFormats.Detect(header[..read]) is null
                ? $"not an image: content starts with {ImageDecoder.DescribeStart(header[..read])}; expected {ImageFormats.SupportedList}"
                : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"cannot read the file: {e.Message}";
        }
    }
}
