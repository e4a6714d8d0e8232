namespace ImageClassifier.Data;

/// <summary>How far a download has come; <see cref="TotalBytes"/> is null when the server does not say.</summary>
public sealed record DownloadProgress(string FileName, long BytesReceived, long? TotalBytes)
{
    public double? Fraction => TotalBytes is > 0 ? (double)BytesReceived / TotalBytes.Value : null;
}
