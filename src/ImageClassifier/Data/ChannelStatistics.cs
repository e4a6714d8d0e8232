using ImageClassifier.Imaging;

namespace ImageClassifier.Data;

/// <summary>
/// Each channel's mean and standard deviation over a dataset's pixels, on the [0, 1] scale: what
/// standardising input needs. Computed here, where datasets live; <see cref="Preprocessing"/> takes the numbers.
/// </summary>
public sealed record ChannelStatistics(float[] Mean, float[] Std)
{
    public static ChannelStatistics Of(ImageDataset data)
    {
        if (data.Count == 0) throw new DatasetException($"Dataset '{data.Name}' is empty: no statistics to standardise with.");
        int channels = data.Shape.Channels, plane = data.Shape.Height * data.Shape.Width;
        var sum = new double[channels];
        var squares = new double[channels];
        for (int i = 0; i < data.Count; i++)
        {
            var image = data.Image(i);
            for (int c = 0; c < channels; c++)
                foreach (byte b in image.Slice(c * plane, plane))
                {
                    sum[c] += b;
                    squares[c] += b * b;
                }
        }
        double n = (double)data.Count * plane;
        float[] mean = sum.Select(s => (float)(s / n / 255)).ToArray();
        // A floor on std keeps a constant channel from dividing by zero.
        float[] std = squares.Select((s, c) => (float)Math.Max(Math.Sqrt(Math.Max(s / n / 65025 - mean[c] * (double)mean[c], 0)), 1e-3)).ToArray();
        return new ChannelStatistics(mean, std);
    }

    /// <summary>Scale to [0, 1], then standardise each channel with these statistics.</summary>
    public Preprocessing Standardization() => Preprocessing.Standardize(Mean, Std);
}
