using ImageClassifier.Data;
using ImageClassifier.Evaluation;
using ImageClassifier.Evaluation.Explain;
using ImageClassifier.Imaging;
using ImageClassifier.Reporting;
using ImageClassifier.Tests.TestSupport;

namespace ImageClassifier.Tests.Reporting;

/// <summary>The "image | heatmap | overlay" panel, its colour maps and the PNG calls a report uses.</summary>
public class ExplanationPanelTests
{
    static Explanation Example(Heatmap heatmap, int explained = 0) => new(heatmap,
        new ClassScore(explained, explained == 0 ? "Sneaker" : "Bag", explained == 0 ? 0.971 : 0.012), new ClassScore(0, "Sneaker", 0.971), "conv2d_2", CamMethod.GradCam);

    // A map rising from 0 at the left edge to 1 at the right.
    static Heatmap Ramp(int width, int height) =>
        new(width, height, Enumerable.Range(0, width * height).Select(i => (i % width) / (float)(width - 1)).ToArray());

    [Fact]
    public void Colour_maps_are_matplotlibs()
    {
        Assert.Equal(((byte)0, (byte)0, (byte)128), ColorMap.Jet.Color(0));
        Assert.Equal(((byte)128, (byte)0, (byte)0), ColorMap.Jet.Color(1));
        Assert.Equal(((byte)68, (byte)1, (byte)84), ColorMap.Viridis.Color(0));
        Assert.Equal(((byte)253, (byte)231, (byte)37), ColorMap.Viridis.Color(1));
        Assert.Equal(((byte)33, (byte)145, (byte)140), ColorMap.Viridis.Color(0.5f)); // entry 128: 0.128 0.567 0.551
        Assert.Equal(ColorMap.Viridis.Color(0), ColorMap.Viridis.Color(float.NaN));
        Assert.Equal(ColorMap.Viridis, ColorMaps.Parse("VIRIDIS"));
        Assert.Throws<ArgumentException>(() => ColorMaps.Parse("rainbow"));
    }

    [Fact]
    public void The_panel_is_image_heatmap_and_overlay_side_by_side_under_a_title()
    {
        var shape = new ImageShape(1, 28, 28);
        var image = FashionMnist.Test.Image(0).ToArray();
        var png = ExplanationPanel.RenderPng(image, shape, Example(Ramp(28, 28)));

        var panel = ImageDecoder.DecodeNative(png, channels: 3);
        int tile = ExplanationPanel.MinTile; // 28 pixels are drawn at 224
        int top = ExplanationPanel.TitleHeight + ExplanationPanel.CaptionHeight;
        Assert.Equal(3 * tile + 4 * ExplanationPanel.Gap, panel.Width);
        Assert.Equal(top + tile + ExplanationPanel.Gap, panel.Height);

        (byte R, byte G, byte B) At(int x, int y) => TestImages.Rgb(panel.Pixels, panel.Height, panel.Width, x, y);
        int Left(int i) => ExplanationPanel.Gap + i * (tile + ExplanationPanel.Gap);
        // The heatmap tile runs from jet's dark blue on the left to dark red on the right.
        var cold = At(Left(1) + 2, top + tile / 2);
        var hot = At(Left(1) + tile - 3, top + tile / 2);
        Assert.True(cold.B > 100 && cold.R < 30, $"left of the heatmap {cold}");
        Assert.True(hot.R > 100 && hot.B < 30, $"right of the heatmap {hot}");
        // The image tile is the gray image (R = G = B), the overlay tile is tinted.
        var gray = At(Left(0) + tile / 2, top + tile / 2);
        Assert.True(gray.R == gray.G && gray.G == gray.B, $"image tile {gray}");
        var tinted = At(Left(2) + tile - 3, top + tile / 2);
        Assert.True(tinted.R > tinted.B + 30, $"overlay tile {tinted}");
        // The title is drawn: dark pixels in the title band.
        int dark = 0;
        for (int y = 0; y < ExplanationPanel.TitleHeight; y++)
            for (int x = 0; x < panel.Width; x++)
                if (At(x, y).R < 100) dark++;
        Assert.True(dark > 100, $"{dark} dark pixels in the title band");
    }

    [Fact]
    public void Titles_name_the_prediction_and_the_explained_class_when_it_differs()
    {
        Assert.Equal("Pred: Sneaker (97.1%)", Example(Ramp(4, 4)).Title());
        Assert.Equal("Pred: Sneaker (97.1%)  ·  Grad-CAM for Bag (1.2%)  ·  True: Bag", Example(Ramp(4, 4), explained: 1).Title("Bag"));
    }

    [Fact]
    public void Large_and_wide_images_keep_their_aspect_ratio_within_the_tile_limits()
    {
        Assert.Equal((512, 256), ExplanationPanel.TileSize(new ImageShape(3, 1000, 2000)));
        Assert.Equal((224, 112), ExplanationPanel.TileSize(new ImageShape(3, 20, 40)));
        Assert.Equal((300, 200), ExplanationPanel.TileSize(new ImageShape(3, 200, 300)));
        var rgb = new byte[3 * 30 * 60];
        var png = ExplanationPanel.RenderPng(rgb, new ImageShape(3, 30, 60), Example(Ramp(6, 3)), new ExplainOptions(ColorMap: ColorMap.Viridis, Alpha: 1));
        var panel = ImageDecoder.DecodeNative(png, channels: 3);
        Assert.Equal(3 * 224 + 4 * ExplanationPanel.Gap, panel.Width);
        Assert.Throws<ArgumentException>(() => ExplanationPanel.RenderPng(rgb, new ImageShape(3, 30, 60), Example(Ramp(6, 3)), new ExplainOptions(Alpha: 1.5)));
    }

    [Fact]
    public void A_report_gets_panels_for_dataset_images_as_png_bytes()
    {
        var model = TrainedTutorialCnn.Model;
        var test = FashionMnist.Test;
        var panels = model.ExplainPngs(test, [3, 1, 4], new ExplainOptions(Method: CamMethod.GradCamPlusPlus));
        Assert.Equal(3, panels.Count);
        foreach (var png in panels)
        {
            var panel = ImageDecoder.DecodeNative(png, channels: 3);
            Assert.Equal(3 * ExplanationPanel.MinTile + 4 * ExplanationPanel.Gap, panel.Width);
        }
        var single = model.ExplainPng(test.Image(1), test.Shape, new ExplainOptions(Method: CamMethod.GradCamPlusPlus), test.ClassNames[test.Labels[1]]);
        // The same panel, but for float rounding: a batch sums in another order, which can move a pixel to the next colour.
        var batched = ImageDecoder.DecodeNative(panels[1], channels: 3).Pixels;
        var alone = ImageDecoder.DecodeNative(single, channels: 3).Pixels;
        Assert.Equal(batched.Length, alone.Length);
        var differences = batched.Zip(alone, (a, b) => Math.Abs(a - b)).ToArray();
        Assert.True(differences.Max() <= 8 && differences.Average() < 0.1, $"max {differences.Max()}, mean {differences.Average()}");
    }
}
