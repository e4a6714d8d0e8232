using System.Runtime.ExceptionServices;
using ImageClassifier.Imaging;

namespace ImageClassifier.Data;

/// <summary>
/// Reads a folder of images laid out one subfolder per class (the layout of torchvision's ImageFolder):
/// <code>
/// root/cat/001.jpg
/// root/dog/xyz.png
/// </code>
/// <list type="bullet">
/// <item>Classes are the subfolder names, sorted ordinally (so "Zebra" comes before "ant"); label i is class i.
/// Dot-folders and __MACOSX are not classes. Files directly in the root are ignored.</item>
/// <item>Every file anywhere under a class folder is a candidate; images are recognised by content, not extension
/// (JPEG, PNG, BMP, GIF, WebP). Other files (README.txt, .DS_Store, truncated downloads) are skipped and listed,
/// or, with <see cref="ImageFolderOptions.Strict"/>, the first of them in path order throws.</item>
/// <item>Images are decoded in parallel, each into its own slot, so the order is always the sorted path order.</item>
/// <item>A class folder without images stays a class (labels do not shift), with no images: check
/// <see cref="ImageDataset.ClassCounts"/>. A single class is read too; training rejects it later
/// (<see cref="ImageDataset.EnsureTrainable"/>).</item>
/// </list>
/// </summary>
public static class ImageFolderReader
{
    /// <summary>Reads <paramref name="root"/> as one dataset (its class subfolders hold the images).</summary>
    public static ImageFolderResult Read(string root, ImageFolderOptions options)
    {
        ImageFolderLayout.EnsureFolder(root);
        var classNames = ImageFolderLayout.ClassFolders(root).Select(Path.GetFileName).ToList();
        return ReadClasses(root, classNames!, options, ImageFolderLayout.NameOf(root));
    }

    /// <summary>
    /// Reads train and test splits when <paramref name="root"/> holds a train/ folder of class subfolders,
    /// with a test/ folder (else val/, valid/ or validation/, the first present; the others are ignored).
    /// The test split uses the train split's class list, so labels agree. A test class that has no train
    /// folder is an error, since a model cannot learn a class it never sees (it is usually a misspelt
    /// folder name); train classes missing from test are fine. Any other layout is read whole as the
    /// train split, with no test split, and marked <see cref="DatasetSplits.Unsplit"/>.
    /// </summary>
    public static ImageFolderSplits ReadSplits(string root, ImageFolderOptions options)
    {
        ImageFolderLayout.EnsureFolder(root);
        if (ImageFolderLayout.TrainFolder(root) is not { } trainFolder)
        {
            var whole = Read(root, options);
            return new ImageFolderSplits(new DatasetSplits(whole.Dataset, null) { Unsplit = true }, whole.Skipped);
        }

        string rootName = ImageFolderLayout.NameOf(root);
        var trainClasses = ImageFolderLayout.ClassFolders(trainFolder).Select(Path.GetFileName).ToList();
        var train = ReadClasses(trainFolder, trainClasses!, options, $"{rootName}/{Path.GetFileName(trainFolder)}");
        if (ImageFolderLayout.TestFolder(root) is not { } testFolder)
            return new ImageFolderSplits(new DatasetSplits(train.Dataset, null), train.Skipped);

        var testClasses = ImageFolderLayout.ClassFolders(testFolder).Select(Path.GetFileName).ToList();
        var unknown = testClasses.Where(c => !trainClasses.Contains(c, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0)
            throw new DatasetException(
                $"test classes {string.Join(", ", unknown)} have no folder in {trainFolder}; every test class must also be a " +
                "training class (check the folder names' spelling and letter case)", testFolder);
        var test = ReadClasses(testFolder, trainClasses!, options, $"{rootName}/{Path.GetFileName(testFolder)}");
        return new ImageFolderSplits(new DatasetSplits(train.Dataset, test.Dataset), [.. train.Skipped, .. test.Skipped]);
    }

    /// <summary>
    /// Whether <paramref name="path"/> looks like an image folder (plain or train/test): a folder with a class
    /// subfolder holding at least one image among its first few files. Cheap, for choosing a reader; never throws.
    /// </summary>
    public static bool LooksLikeImageFolder(string path)
    {
        try
        {
            if (!Directory.Exists(path)) return false;
            string root = ImageFolderLayout.TrainFolder(path) ?? path;
            var lookAt = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true };
            foreach (var classFolder in ImageFolderLayout.ClassFolders(root))
                // A few files per class are enough to tell, and keep this quick on huge folders.
                foreach (var file in Directory.EnumerateFiles(classFolder, "*", lookAt).Take(16))
                    if (ImageFormats.DetectFile(file) is not null) return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        catch (DatasetException) { return true; } // an ambiguous layout: the reader explains it
        return false;
    }

    // Reads the class subfolders of root present in classNames; a class without a folder has no images.
    private static ImageFolderResult ReadClasses(string root, IReadOnlyList<string> classNames, ImageFolderOptions options, string name)
    {
        if (options.Workers < 0)
            throw new ArgumentOutOfRangeException(nameof(options), $"Workers must be 0 (one per processor) or more, not {options.Workers}.");
        var shape = options.Shape;
        if (shape.Channels is not (1 or 3) || shape.Height < 1 || shape.Width < 1)
            throw new ArgumentException($"Images are read as 1 channel (gray) or 3 (RGB) of at least 1 x 1 pixels, not {shape}.", nameof(options));

        var classFolders = ImageFolderLayout.ClassFolders(root);
        if (classFolders.Count == 0)
            throw new DatasetException($"has no class subfolders; {ImageFolderLayout.Expected}", root);

        var files = new List<(string Path, int Label)>();
        var linksSkipped = new List<SkippedFile>();
        foreach (var folder in classFolders)
        {
            int label = IndexOf(classNames, Path.GetFileName(folder));
            files.AddRange(ImageFolderLayout.FilesUnder(folder, root, linksSkipped).Where(f => !options.Excludes(f)).Select(f => (f, label)));
        }
        if (files.Count == 0)
            throw new DatasetException($"no files in its {classFolders.Count} class folders; {ImageFolderLayout.Expected}", root);

        int size = shape.Size;
        long bytes = (long)files.Count * size;
        if (bytes > Array.MaxLength)
            throw new DatasetException(
                $"{files.Count} images of {shape} need {bytes / 1e9:F1} GB, more than one dataset can hold; use a smaller image size or fewer images", root);

        var pixels = new byte[bytes];
        var errors = new ImageDecodeException?[files.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Workers == 0 ? Environment.ProcessorCount : options.Workers };
        Parallel.For(0, files.Count, parallel, (i, loop) =>
        {
            try
            {
                ImageDecoder.DecodeFile(files[i].Path, shape, pixels.AsSpan(i * size, size));
            }
            catch (ImageDecodeException e)
            {
                errors[i] = e;
                // Break (not Stop) still runs every earlier file, so the first bad file in path order is known.
                if (options.Strict) loop.Break();
            }
        });

        if (options.Strict && Array.FindIndex(errors, e => e is not null) is int firstBad and >= 0)
            ExceptionDispatchInfo.Throw(errors[firstBad]!);

        // Close the gaps the skipped files left, keeping the order.
        var labels = new List<int>(files.Count);
        var skipped = new List<SkippedFile>(linksSkipped);
        for (int i = 0; i < files.Count; i++)
        {
            if (errors[i] is { } error)
            {
                skipped.Add(new SkippedFile(files[i].Path, error.Reason));
                continue;
            }
            if (labels.Count != i)
                pixels.AsSpan(i * size, size).CopyTo(pixels.AsSpan(labels.Count * size, size));
            labels.Add(files[i].Label);
        }
        if (labels.Count == 0)
            throw new DatasetException(
                $"no readable images in its {classFolders.Count} class folders ({skipped.Count} files skipped, " +
                $"e.g. {skipped[0].Path}: {skipped[0].Reason}); {ImageFolderLayout.Expected}", root);
        if (labels.Count < files.Count) Array.Resize(ref pixels, labels.Count * size);

        return new ImageFolderResult(new ImageDataset(name, shape, classNames, pixels, [.. labels]), skipped);
    }

    private static int IndexOf(IReadOnlyList<string> classNames, string className)
    {
        for (int i = 0; i < classNames.Count; i++)
            if (string.Equals(classNames[i], className, StringComparison.Ordinal)) return i;
        throw new InvalidOperationException($"Class folder '{className}' is not among the classes being read.");
    }
}
