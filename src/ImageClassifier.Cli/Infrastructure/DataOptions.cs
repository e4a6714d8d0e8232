using System.CommandLine;
using ImageClassifier.Data;
using ImageClassifier.Data.Loading;
using ImageClassifier.Imaging;

namespace ImageClassifier.Cli.Infrastructure;

/// <summary>The options that say which dataset to use and how to read it, shared by the commands that read data.</summary>
public sealed class DataOptions
{
    /// <summary>--data; null for commands that take the dataset as an argument.</summary>
    public readonly Option<string>? Data;
    public readonly Option<string?> DataDir = new("--data-dir") { Description = "A folder searched first for the named dataset's files." };
    public readonly Option<bool> Download = new("--download") { Description = "Download a named dataset into the per-user cache when it is not found on this machine." };
    public readonly Option<string?> ImageSize = new("--image-size") { Description = "For image folders: the size images are resized to, e.g. 64 or 64x48 (height x width). Default 64, or the model's size. With --pretrained or --weights: the model's input size (smaller images are resized to it; default the backbone's, 224)." };
    public readonly Option<int?> Channels = new("--channels") { Description = "For image folders: 1 (grayscale) or 3 (RGB). Default 3, or the model's." };
    public readonly Option<bool> Strict = new("--strict") { Description = "For image folders: stop at the first file that cannot be decoded instead of skipping it." };
    public readonly Option<int?> Limit = new("--limit") { Description = "Use only the first N images of the training split." };
    public readonly Option<string?> Exclude = new("--exclude") { Description = "For image folders: a CSV of files to leave out (a 'path' column; with an 'action' column, the rows marked exclude), such as imgclass audit --fix-list writes. Relative paths are relative to the data folder." };

    public DataOptions(string? dataDescription, bool required = false)
    {
        if (dataDescription is not null)
            Data = new Option<string>("--data", "-d") { Description = dataDescription, Required = required };
    }

    public void AddTo(Command command)
    {
        if (Data is not null) command.Options.Add(Data);
        foreach (var option in new Option[] { DataDir, Download, ImageSize, Channels, Strict, Limit, Exclude })
            command.Options.Add(option);
    }

    /// <summary>Loads the dataset named by --data; <paramref name="shape"/> (a model's input) fixes the size of folder images.</summary>
    public DatasetSplits Load(ParseResult parse, Terminal terminal, string? data = null, ImageShape? shape = null)
    {
        string source = data ?? Source(parse);
        var splits = DatasetCatalog.Load(source, Locator(parse, terminal, shape));
        return LimitValue(parse) is int limit ? splits with { Train = splits.Train.Take(limit) } : splits;
    }

    /// <summary>The --data value, required.</summary>
    public string Source(ParseResult parse) =>
        (Data is null ? null : parse.GetValue(Data)) ?? throw new ArgumentException("Give a dataset with --data (a name such as fashion-mnist, or a path).");

    /// <summary>How training reads --data: the locator, the limit, and streaming when --stream is given.</summary>
    public TrainingDataOptions TrainingData(ParseResult parse, Terminal terminal, FeedOptions feed, TextWriter log)
    {
        var streaming = feed.Streaming(parse, parse.GetValue(Strict));
        if (parse.GetValue(feed.Stream) && !ImageFolderReader.LooksLikeImageFolder(Source(parse)))
            throw new ArgumentException($"--stream reads folders of class subfolders of images, and '{Source(parse)}' is not one; " +
                "named datasets, IDX and CIFAR files are read into memory (leave out --stream).");
        return new TrainingDataOptions
        {
            Locator = Locator(parse, terminal),
            Limit = LimitValue(parse),
            Streaming = parse.GetValue(feed.Stream) ? streaming : null,
            Warnings = terminal.Error,
            Log = log,
        };
    }

    DatasetLocator Locator(ParseResult parse, Terminal terminal, ImageShape? shape = null) => new()
    {
        DataDirectory = parse.GetValue(DataDir),
        AllowDownload = parse.GetValue(Download),
        Progress = new DownloadReporter(terminal.Error),
        ImageFolder = new ImageFolderOptions(FolderShape(parse, shape), parse.GetValue(Strict)) { Exclude = Excluded(parse, terminal) },
        Skipped = skipped => WarnSkipped(skipped, terminal.Error),
    };

    // The files --exclude lists, read once per command; a note says how many.
    IReadOnlySet<string>? excluded;

    IReadOnlySet<string>? Excluded(ParseResult parse, Terminal terminal)
    {
        if (parse.GetValue(Exclude) is not { } csv) return null;
        if (excluded is not null) return excluded;
        string? data = Data is null ? null : parse.GetValue(Data);
        if (data is not null && !Directory.Exists(data))
            throw new ArgumentException($"--exclude leaves files out of folders of images, and '{data}' is not a folder.");
        excluded = ExclusionList.Read(csv, data);
        terminal.Error.WriteLine($"note: leaving out the {excluded.Count} file(s) that {csv} marks exclude");
        return excluded;
    }

    int? LimitValue(ParseResult parse) => parse.GetValue(Limit) switch
    {
        < 1 and int limit => throw new ArgumentException($"--limit must be at least 1, not {limit}."),
        var limit => limit,
    };

    static void WarnSkipped(IReadOnlyList<SkippedFile> skipped, TextWriter error)
    {
        const int shown = 20;
        error.WriteLine($"warning: skipped {skipped.Count} file(s) that could not be read as images (--strict makes this an error):");
        foreach (var file in skipped.Take(shown)) error.WriteLine($"  {file.Path}: {file.Reason}");
        if (skipped.Count > shown) error.WriteLine($"  ... and {skipped.Count - shown} more");
    }

    /// <summary>The shape folder images are read at: --image-size and --channels, else the model's, else 64x64 RGB.</summary>
    public ImageShape FolderShape(ParseResult parse, ImageShape? model = null)
    {
        int channels = parse.GetValue(Channels) ?? model?.Channels ?? 3;
        if (channels is not (1 or 3)) throw new ArgumentException($"--channels must be 1 or 3, not {channels}.");
        if (ImageSizeValue(parse) is not var (height, width)) return model ?? new ImageShape(channels, 64, 64);
        return new ImageShape(channels, height, width);
    }

    /// <summary>--image-size as (height, width), or null when not given.</summary>
    public (int Height, int Width)? ImageSizeValue(ParseResult parse)
    {
        string? size = parse.GetValue(ImageSize);
        if (size is null) return null;
        var parts = size.ToLowerInvariant().Split('x');
        if (parts.Length is < 1 or > 2 || !parts.All(p => int.TryParse(p, out int v) && v is > 0 and <= 4096))
            throw new ArgumentException($"--image-size must be like 64 or 64x48 (height x width, 1..4096), not '{size}'.");
        return (int.Parse(parts[0]), int.Parse(parts[^1]));
    }
}
