using System.CommandLine;
using ImageClassifier.Data.Loading;
using ImageClassifier.Imaging.Augmentation;

namespace ImageClassifier.Cli.Infrastructure;

/// <summary>How training batches are fed: augmentation, oversampling and (for folders) streaming from disk.</summary>
public sealed class FeedOptions
{
    public readonly Option<string?> Augment = new("--augment") { Description = "Augment training batches, e.g. flip,rotate=0.1,zoom=0.1,contrast=0.1. " + AugmentationSpec.Help };
    public readonly Option<string?> RareAugment = new("--rare-augment") { Description = "Extra augmentation for the images of rare classes (fewer than half the largest class's count), e.g. rotate=0.2,erase." };
    public readonly Option<bool> Oversample = new("--oversample") { Description = "Draw every class equally often: weighted random sampling with replacement, against class imbalance." };
    public readonly Option<bool> Stream = new("--stream") { Description = "For image folders: stream the training images from disk (decoded by worker threads, a few batches ahead) instead of reading them all into memory." };
    public readonly Option<int> Workers = new("--workers") { Description = "With --stream: decoding threads (0: one per core).", DefaultValueFactory = _ => 2 };
    public readonly Option<int> Prefetch = new("--prefetch") { Description = "With --stream: batches each worker decodes ahead of training.", DefaultValueFactory = _ => 2 };
    public readonly Option<string?> Cache = new("--cache") { Description = "With --stream: keep decoded images between epochs: memory (1 GB), memory:MB, or disk:FOLDER." };

    public void AddTo(Command command, bool streaming)
    {
        command.Options.Add(Augment);
        command.Options.Add(RareAugment);
        command.Options.Add(Oversample);
        if (!streaming) return;
        foreach (var option in new Option[] { Stream, Workers, Prefetch, Cache }) command.Options.Add(option);
    }

    /// <summary>The streaming settings; a cache folder that cannot be written fails here, before training starts.</summary>
    public StreamingOptions Streaming(ParseResult parse, bool strict)
    {
        bool stream = parse.GetValue(Stream);
        if (!stream && (parse.GetResult(Workers) is { Implicit: false } || parse.GetResult(Cache) is { Implicit: false } || parse.GetResult(Prefetch) is { Implicit: false }))
            throw new ArgumentException("--workers, --prefetch and --cache only apply with --stream.");
        var options = new StreamingOptions
        {
            Workers = parse.GetValue(Workers), PrefetchPerWorker = parse.GetValue(Prefetch), Strict = strict,
            Cache = parse.GetValue(Cache) is string cache ? DecodedImageCache.Parse(cache) : null,
        };
        options.Validate();
        return options;
    }
}
