using ImageClassifier.Data;
using ImageClassifier.Models.Pretrained;
using ImageClassifier.Training;
using static TorchSharp.torch;

namespace ImageClassifier.Audit;

/// <summary>
/// Near duplicates by meaning rather than by pixels: the ImageNet ResNet18's pooled 512 features of every image
/// (at 64 x 64), L2-normalised, compared by cosine similarity in blocks of a matrix product (as fastdup compares
/// embeddings). Finds copies that hashes miss (crops, colour shifts) but costs a ResNet18 pass per image and a
/// product over all pairs (fast in BLAS: 10,000 images are 50 million dot products of 512 numbers).
/// </summary>
public static class FeatureSimilarity
{
    const int Side = 64, Block = 1024;

    /// <summary>Pairs of file indices (a before b) whose features' cosine similarity reaches <paramref name="minimum"/>.</summary>
    public static List<(int A, int B, double Similarity)> Pairs(ImageScan scan, double minimum, Action<string>? log = null)
    {
        var files = scan.Files.Where(f => f.Decoded).Select(f => f.Index).ToArray();
        var pairs = new List<(int, int, double)>();
        if (files.Length < 2) return pairs;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        int size = scan.Shape.Size;
        var pixels = new byte[(long)files.Length * size];
        for (int i = 0; i < files.Length; i++) scan.Inputs[files[i]]!.CopyTo(pixels, (long)i * size);
        var data = new ImageDataset("audit-features", scan.Shape, ["a", "b"], pixels, new int[files.Length]);

        using var model = TransferLearning.FromPretrained("resnet18-imagenet", ["a", "b"], (Side, Side));
        using var cache = FeatureCache.Compute(model, data);
        using var scope = NewDisposeScope();
        var features = nn.functional.normalize(cache.Features.flatten(1).cpu(), dim: 1);
        for (int start = 0; start < files.Length; start += Block)
        {
            using var blockScope = NewDisposeScope();
            int length = Math.Min(Block, files.Length - start);
            var similarity = features.narrow(0, start, length).matmul(features.t());
            // Each pair once: only partners after the row's own image.
            var later = arange(files.Length).unsqueeze(0) > arange(start, start + length).unsqueeze(1);
            var hits = nonzero(similarity.ge(minimum).logical_and(later));
            if (hits.shape[0] == 0) continue;
            var rows = hits.select(1, 0).data<long>().ToArray();
            var columns = hits.select(1, 1).data<long>().ToArray();
            var values = similarity.index(hits.select(1, 0), hits.select(1, 1)).data<float>().ToArray();
            for (int k = 0; k < rows.Length; k++) pairs.Add((files[start + rows[k]], files[columns[k]], values[k]));
        }
        log?.Invoke($"Features: ResNet18 at {Side} x {Side} for {files.Length:N0} images, {pairs.Count} pair(s) at cosine similarity >= {minimum} ({clock.Elapsed.TotalSeconds:0}s)");
        return pairs;
    }
}
