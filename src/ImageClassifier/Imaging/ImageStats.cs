namespace ImageClassifier.Imaging;

/// <summary>One channel's range and spread. Std is the population standard deviation (NumPy's default).</summary>
public sealed record ChannelStats(string Name, byte Min, byte Max, double Mean, double Std);

/// <summary>
/// An image as decoded: its size, channels, pixel type and value statistics, overall and per channel
/// (red, green, blue; or gray for 1-channel images).
/// </summary>
public sealed record ImageStats(ImageFormat Format, int Height, int Width, int Channels, string PixelType,
    byte Min, byte Max, IReadOnlyList<ChannelStats> PerChannel)
{
    /// <summary>The names of the channels of a 1- or 3-channel image, in order.</summary>
    public static IReadOnlyList<string> ChannelNames(int channels) =>
        channels == 1 ? ["gray"] : ["red", "green", "blue"];

    public static ImageStats Of(DecodedImage image, ImageFormat format)
    {
        int plane = image.Width * image.Height;
        var names = ChannelNames(image.Channels);
        var perChannel = new ChannelStats[image.Channels];
        for (int c = 0; c < image.Channels; c++)
        {
            var pixels = image.Pixels.AsSpan(c * plane, plane);
            byte min = 255, max = 0;
            long sum = 0, squares = 0; // exact: 2^28 pixels x 255^2 fits easily
            foreach (byte b in pixels)
            {
                if (b < min) min = b;
                if (b > max) max = b;
                sum += b;
                squares += b * b;
            }
            double mean = (double)sum / plane;
            double variance = Math.Max((double)squares / plane - mean * mean, 0);
            perChannel[c] = new ChannelStats(names[c], min, max, mean, Math.Sqrt(variance));
        }
        // Decoding always gives 8 bits per channel (Skia's RGBA8888), whatever the file stored.
        return new ImageStats(format, image.Height, image.Width, image.Channels, "uint8",
            perChannel.Min(s => s.Min), perChannel.Max(s => s.Max), perChannel);
    }
}
