namespace ImageClassifier.Data.Loading;

/// <summary>One image file of a streamed dataset and its class.</summary>
public sealed record ImageFile(string Path, int Label);

/// <summary>How <see cref="StreamingImageFolderSource"/> decodes and prefetches.</summary>
public sealed record StreamingOptions
{
    /// <summary>Decoding threads; 0: one per processor.</summary>
    public int Workers { get; init; } = 2;

    /// <summary>Finished batches each worker may hold ahead of training (PyTorch's prefetch_factor); bounds memory.</summary>
    public int PrefetchPerWorker { get; init; } = 2;

    /// <summary>Keeps decoded images between epochs; null: decode every file every epoch.</summary>
    public DecodedImageCache? Cache { get; init; }

    /// <summary>Stop at the first file that cannot be decoded, instead of skipping and reporting it.</summary>
    public bool Strict { get; init; }

    /// <summary>Files (full paths) left out of the listing, as <see cref="ImageFolderOptions.Exclude"/>.</summary>
    public IReadOnlySet<string>? Exclude { get; init; }

    /// <summary>Stops the workers and the epoch (with OperationCanceledException).</summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>The number of decoding threads actually used.</summary>
    public int WorkerCount => Workers == 0 ? Environment.ProcessorCount : Workers;

    public void Validate()
    {
        if (Workers < 0) throw new ArgumentException($"Workers must be 0 (one per processor) or more, not {Workers}.");
        if (PrefetchPerWorker < 1) throw new ArgumentException($"Each worker must be able to hold at least one batch, not {PrefetchPerWorker}.");
    }
}
