using ImageClassifier.Data;
using ImageClassifier.Imaging;

namespace ImageClassifier.Tests.Data;

public class ChannelStatisticsTests
{
    [Fact]
    public void Mean_and_std_are_per_channel_on_the_unit_scale()
    {
        // Two 2-channel images of 1x2 pixels: channel 0 is 0 and 255 in each image, channel 1 is always 51.
        byte[] pixels = [0, 255, 51, 51, 0, 255, 51, 51];
        var data = new ImageDataset("d", new ImageShape(2, 1, 2), ["a"], pixels, [0, 0]);

        var statistics = ChannelStatistics.Of(data);

        Assert.Equal([0.5f, 0.2f], statistics.Mean);
        Assert.Equal(0.5f, statistics.Std[0], 1e-6f);
        Assert.Equal(1e-3f, statistics.Std[1], 1e-9f); // a constant channel gets the floor, not zero
        var preprocessing = statistics.Standardization();
        Assert.Equal(statistics.Mean, preprocessing.Mean);
        Assert.Equal(1f / 255f, preprocessing.Scale);
    }

    [Fact]
    public void An_empty_dataset_has_no_statistics()
    {
        var empty = new ImageDataset("none", new ImageShape(1, 2, 2), ["a"], [], []);
        Assert.Contains("'none' is empty", Assert.Throws<DatasetException>(() => ChannelStatistics.Of(empty)).Message);
    }
}
