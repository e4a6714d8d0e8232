using ImageClassifier.Imaging;

namespace ImageClassifier.Audit;

/// <summary>The kinds of file findings, as the JSON and the fix list name them.</summary>
public static class FileProblems
{
    // Files that cannot be used: training skips them, the fix list excludes them.
    public const string Empty = "empty";
    public const string NotAnImage = "not_an_image";
    public const string Truncated = "truncated";
    public const string Corrupt = "corrupt";
    public const string Unreadable = "unreadable";
    // Images that decode but deserve a look.
    public const string WrongExtension = "wrong_extension";
    public const string UnusualSize = "unusual_size";
    public const string UnusualColour = "unusual_colour_mode";
    public const string Blank = "blank";

    public static bool IsBroken(string kind) => kind is Empty or NotAnImage or Truncated or Corrupt or Unreadable;
}

/// <summary>One finding about one file.</summary>
public sealed record FileFinding(int File, string Path, string Split, string Class, string Kind, string Detail);

/// <summary>
/// Finds, per file: the broken ones (empty, not an image, truncated, corrupt, unreadable), extensions that do not
/// match the content (a PNG named .jpg, or a .txt that is an image), sizes far from the rest (a thumbnail among
/// photos, a 28 x 28 folder with one 31 x 31 image), a colour mode unlike the rest (one colour image among gray
/// ones, or the reverse) and blank images (one flat colour).
/// </summary>
public static class FileChecks
{
    /// <summary>A size or colour mode shared by at least this share of the images makes the others unusual.</summary>
    const double Dominant = 0.9;

    static readonly Dictionary<string, ImageFormat> Extensions = new(StringComparer.OrdinalIgnoreCase)
    {
        [".jpg"] = ImageFormat.Jpeg, [".jpeg"] = ImageFormat.Jpeg, [".jpe"] = ImageFormat.Jpeg, [".jfif"] = ImageFormat.Jpeg,
        [".png"] = ImageFormat.Png, [".bmp"] = ImageFormat.Bmp, [".dib"] = ImageFormat.Bmp, [".gif"] = ImageFormat.Gif, [".webp"] = ImageFormat.WebP,
    };

    public static List<FileFinding> Check(ImageScan scan)
    {
        var findings = new List<FileFinding>();
        var decoded = scan.Files.Where(f => f.Decoded).ToList();
        var sizes = SizeNorms.Of(decoded);
        int gray = decoded.Count(f => f.Gray);
        bool mostlyGray = decoded.Count > 0 && gray >= Dominant * decoded.Count;
        bool mostlyColour = decoded.Count > 0 && decoded.Count - gray >= Dominant * decoded.Count;

        foreach (var file in scan.Files)
        {
            FileFinding Finding(string kind, string detail) => new(file.Index, file.Path, file.Split, scan.ClassNames[file.Label], kind, detail);
            if (file.Problem is { } problem)
            {
                findings.Add(Finding(problem, file.Reason ?? problem));
                continue;
            }
            if (ExtensionProblem(file) is { } extension) findings.Add(Finding(FileProblems.WrongExtension, extension));
            if (sizes.Unusual(file) is { } size) findings.Add(Finding(FileProblems.UnusualSize, size));
            if (mostlyGray && !file.Gray) findings.Add(Finding(FileProblems.UnusualColour, $"a colour image where {gray * 100.0 / decoded.Count:0.#}% are gray"));
            if (mostlyColour && file.Gray) findings.Add(Finding(FileProblems.UnusualColour, $"a gray image where {(decoded.Count - gray) * 100.0 / decoded.Count:0.#}% are in colour"));
            if (file.Blank) findings.Add(Finding(FileProblems.Blank, "one flat colour: nothing to learn from"));
        }
        return findings;
    }

    /// <summary>The extension the content calls for (".png" for PNG), for renaming.</summary>
    public static string ExtensionFor(ImageFormat format) => format switch
    {
        ImageFormat.Jpeg => ".jpg", ImageFormat.Png => ".png", ImageFormat.Bmp => ".bmp", ImageFormat.Gif => ".gif", _ => ".webp",
    };

    static string? ExtensionProblem(ScannedFile file)
    {
        if (file.Format is not { } format) return null;
        string extension = Path.GetExtension(file.Path);
        if (Extensions.TryGetValue(extension, out var named))
            return named == format ? null : $"named {extension} but the content is {format.DisplayName()} (rename to {ExtensionFor(format)})";
        return $"{(extension.Length == 0 ? "no extension" : $"extension {extension}")}, but the content is {format.DisplayName()} (rename to {ExtensionFor(format)})";
    }

    /// <summary>What sizes are usual here: one dominant size, or the median's neighbourhood when sizes vary.</summary>
    sealed record SizeNorms((int Width, int Height)? Common, double Share, double MedianSide, double MedianAspect)
    {
        public static SizeNorms Of(IReadOnlyList<ScannedFile> files)
        {
            if (files.Count == 0) return new SizeNorms(null, 0, 0, 1);
            var top = files.GroupBy(f => (f.Width, f.Height)).MaxBy(g => g.Count())!;
            var sides = files.Select(f => (double)Math.Min(f.Width, f.Height)).Order().ToList();
            var aspects = files.Select(f => (double)f.Width / f.Height).Order().ToList();
            return new SizeNorms(top.Key, (double)top.Count() / files.Count, sides[sides.Count / 2], aspects[aspects.Count / 2]);
        }

        public string? Unusual(ScannedFile file)
        {
            string size = $"{file.Width} x {file.Height}";
            if (Common is { } common && Share >= Dominant && (file.Width, file.Height) != common)
                return $"{size} where {Share * 100:0.#}% are {common.Width} x {common.Height}";
            double side = Math.Min(file.Width, file.Height);
            if (side < MedianSide / 4) return $"{size}, far smaller than most (the median shorter side is {MedianSide:0} pixels)";
            if (side > MedianSide * 8) return $"{size}, far larger than most (the median shorter side is {MedianSide:0} pixels)";
            double aspect = (double)file.Width / file.Height;
            if (aspect > MedianAspect * 3 || aspect < MedianAspect / 3) return $"{size}: its aspect ratio {aspect:0.##} is far from most images' ({MedianAspect:0.##})";
            return null;
        }
    }
}
