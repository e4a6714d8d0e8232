using System.Diagnostics;
using System.Text;
using ImageClassifier.Data;
using ImageClassifier.Models;
using static TorchSharp.torch;

namespace ImageClassifier.Evaluation.Sharding;

/// <summary>Where a sharded prediction run stands: images of this shard, those found done in the output, those predicted now.</summary>
public sealed record ShardProgress(Shard Shard, int Total, int AlreadyDone, int Predicted, int Unreadable, double Seconds)
{
    public int Done => AlreadyDone + Predicted + Unreadable;
    public int Remaining => Total - Done;
    public double ImagesPerSecond => Seconds > 0 ? Predicted / Seconds : 0;
}

/// <summary>
/// Predicts one shard of a large image collection into a CSV file (<see cref="PredictionCsv"/>), resumably: images whose
/// source is already in the file are skipped, each batch's rows are appended with one write and flushed, and a torn last
/// line (the process was killed mid-write) is cut off before appending. So N processes with shards 0/N..N-1/N cover a
/// collection exactly once, and a killed one rerun with the same command finishes it without duplicates. Files that are
/// not readable images get a row with a note and no classes, so that a rerun does not try them again (with
/// <c>strict</c>, the first one stops the run instead, after the rows before it are written).
/// </summary>
public static class ShardedPrediction
{
    public static ShardProgress Run(IImageClassifier model, IEnumerable<string> inputs, string output, Shard shard, int topK = 3,
        int batchSize = 256, TestTimeAugmentation? tta = null, Action<ShardProgress>? progress = null, bool strict = false)
    {
        if (topK < 1) throw new ArgumentException($"Top-k must be at least 1, not {topK}.");
        int k = Math.Min(topK, model.ClassNames.Count);
        var files = ShardFiles.List(inputs, shard);
        var done = Resume(output, PredictionCsv.Header(k));
        var todo = files.Where(f => !done.Contains(f.Path)).ToList();
        int alreadyDone = files.Count - todo.Count, predicted = 0, unreadable = 0;
        var clock = Stopwatch.StartNew();
        ShardProgress Now() => new(shard, files.Count, alreadyDone, predicted, unreadable, clock.Elapsed.TotalSeconds);

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        using var writer = new StreamWriter(new FileStream(output, FileMode.Append, FileAccess.Write, FileShare.Read), new UTF8Encoding(false));
        if (done.Count == 0 && writer.BaseStream.Length == 0) Append(writer, [PredictionCsv.Header(k)]);
        progress?.Invoke(Now());
        var shape = model.InputShape;
        foreach (var chunk in todo.Chunk(batchSize))
        {
            var batch = ImageFileInputs.Read(chunk.Select(f => f.Path), shape, strict);
            var rows = new List<string>();
            if (batch.Images.Count > 0)
            {
                using var scope = NewDisposeScope();
                var images = batch.Images;
                var bytes = tensor(images.SelectMany(i => i.Pixels).ToArray(), [images.Count, shape.Channels, shape.Height, shape.Width]);
                var probabilities = tta is null ? model.PredictProbabilities(bytes) : tta.Probabilities(model, bytes);
                rows.AddRange(Predictor.TopK(model, probabilities.cpu(), k, i => images[i].Path, _ => null, i => images[i].Note).Select(p => PredictionCsv.Row(p, k)));
            }
            rows.AddRange(batch.Skipped.Select(s => PredictionCsv.Row(new Prediction(s.Path, [], Note: $"unreadable: {s.Reason}"), k)));
            Append(writer, rows);
            predicted += batch.Images.Count;
            unreadable += batch.Skipped.Count;
            progress?.Invoke(Now());
        }
        return Now();
    }

    /// <summary>The sources already in <paramref name="output"/>, after cutting off a torn last line; a file with another header is an error.</summary>
    static HashSet<string> Resume(string output, string header)
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        if (!File.Exists(output)) return done;
        string text = File.ReadAllText(output);
        int end = text.LastIndexOf('\n') + 1;
        if (end < text.Length)
            using (var stream = new FileStream(output, FileMode.Open, FileAccess.Write)) stream.SetLength(Encoding.UTF8.GetByteCount(text.AsSpan(0, end)));
        var lines = text[..end].Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0) return done;
        if (lines[0].TrimEnd('\r') != header)
            throw new ArgumentException($"{output}: it holds other predictions (its header is '{lines[0].TrimEnd('\r')}', this run writes '{header}'). " +
                "Rerun with the options that wrote it (--top), or give another --output.");
        foreach (string line in lines.Skip(1)) done.Add(IO.Csv.FirstField(line));
        return done;
    }

    /// <summary>Rows written with one write and flushed: a kill leaves whole lines, or one torn last line that the next run cuts off.</summary>
    static void Append(StreamWriter writer, IEnumerable<string> rows)
    {
        var text = new StringBuilder();
        foreach (string row in rows) text.Append(row).Append('\n');
        if (text.Length == 0) return;
        writer.Write(text.ToString());
        writer.Flush();
    }
}
