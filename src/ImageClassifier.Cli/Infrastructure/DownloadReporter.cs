using ImageClassifier.Data;

namespace ImageClassifier.Cli.Infrastructure;

/// <summary>Download progress as a line every 10%, readable in a terminal and in a log.</summary>
public sealed class DownloadReporter(TextWriter writer) : IProgress<DownloadProgress>
{
    int lastPercent = -1;

    public void Report(DownloadProgress value)
    {
        if (value.TotalBytes is not long total || total == 0) return;
        int percent = (int)(100 * value.BytesReceived / total);
        if (percent / 10 == lastPercent / 10 && percent != 100) return;
        lastPercent = percent;
        writer.WriteLine($"Downloading {value.FileName}: {percent}% of {total / 1e6:0.0} MB");
    }
}
