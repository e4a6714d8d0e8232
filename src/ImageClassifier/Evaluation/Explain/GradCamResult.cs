using static TorchSharp.torch;

namespace ImageClassifier.Evaluation.Explain;

/// <summary>
/// Grad-CAM for a batch, on the CPU: <see cref="Heatmaps"/> [N, H, W] in [0,1] at the input's size,
/// <see cref="Weights"/> [N, K] (one weight per channel of the layer), <see cref="Probabilities"/>
/// [N, classes] and the class explained for each image. Dispose to free the tensors.
/// </summary>
public sealed class GradCamResult(IReadOnlyList<string> classNames, string layer, CamMethod method,
    Tensor heatmaps, Tensor weights, Tensor probabilities, int[] classes) : IDisposable
{
    public string Layer { get; } = layer;
    public CamMethod Method { get; } = method;
    public Tensor Heatmaps { get; } = heatmaps;
    public Tensor Weights { get; } = weights;
    public Tensor Probabilities { get; } = probabilities;
    public IReadOnlyList<int> Classes { get; } = classes;
    public int Count => Classes.Count;

    /// <summary>Image <paramref name="index"/>'s heatmap as an array.</summary>
    public Heatmap Heatmap(int index)
    {
        int height = (int)Heatmaps.shape[1], width = (int)Heatmaps.shape[2];
        using var map = Heatmaps[index];
        return new Heatmap(width, height, map.data<float>().ToArray());
    }

    /// <summary>Image <paramref name="index"/> explained: heatmap, explained class and predicted class with their probabilities.</summary>
    public Explanation this[int index]
    {
        get
        {
            using var row = Probabilities[index];
            float[] p = row.data<float>().ToArray();
            int best = Array.IndexOf(p, p.Max());
            int target = Classes[index];
            return new Explanation(Heatmap(index), new ClassScore(target, classNames[target], p[target]),
                new ClassScore(best, classNames[best], p[best]), Layer, Method);
        }
    }

    public void Dispose()
    {
        Heatmaps.Dispose();
        Weights.Dispose();
        Probabilities.Dispose();
    }
}
