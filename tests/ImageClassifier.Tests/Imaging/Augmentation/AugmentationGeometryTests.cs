using ImageClassifier.Imaging.Augmentation;
using ImageClassifier.Tests.TestSupport;
using static ImageClassifier.Tests.Imaging.Augmentation.AugmentationTestData;
using static TorchSharp.torch;

namespace ImageClassifier.Tests.Imaging.Augmentation;

/// <summary>The geometry of each augmentation, checked exactly (or to float rounding where it resamples).</summary>
public class AugmentationGeometryTests
{
    [Fact]
    public void A_certain_horizontal_flip_is_the_mirror_image_and_a_vertical_one_turns_it_upside_down()
    {
        var images = Random(4, 3, 5, 7);
        var (mirrored, _) = Run(new RandomFlip(FlipMode.Horizontal, probability: 1), images);
        Assert.True(mirrored.SameAs(images.flip(3)));
        // pixel (y, x) comes from (y, W-1-x)
        Assert.Equal(images[1, 2, 3, 0].item<float>(), mirrored[1, 2, 3, 6].item<float>());
        var (upsideDown, _) = Run(new RandomFlip(FlipMode.Vertical, probability: 1), images);
        Assert.True(upsideDown.SameAs(images.flip(2)));
        var (never, _) = Run(new RandomFlip(FlipMode.HorizontalAndVertical, probability: 0), images);
        Assert.True(never.SameAs(images));
    }

    [Fact]
    public void A_random_flip_mirrors_each_image_whole_or_not_at_all_and_draws_per_image()
    {
        var images = Random(64, 1, 6, 6);
        var (output, _) = Run(new RandomFlip(), images);
        int mirrored = 0;
        for (int i = 0; i < 64; i++)
        {
            bool same = output[i].SameAs(images[i]), flipped = output[i].SameAs(images[i].flip(2));
            Assert.True(same ^ flipped, $"image {i} is neither itself nor its mirror image");
            mirrored += flipped ? 1 : 0;
        }
        Assert.InRange(mirrored, 16, 48); // p = 0.5 per image: 64 draws, 4 standard deviations either side
    }

    [Theory]
    [InlineData(FillMode.Reflect)]
    [InlineData(FillMode.Wrap)]
    [InlineData(FillMode.Constant)]
    [InlineData(FillMode.Nearest)]
    public void Rotation_zoom_and_translation_by_zero_are_the_identity(FillMode fill)
    {
        var images = Random(3, 3, 9, 12);
        var zero = new FactorRange(0, 0);
        foreach (var augmentation in new IBatchAugmentation[] { new RandomRotation(zero, fill), new RandomZoom(zero, fill), new RandomTranslation(zero, zero, fill) })
        {
            var (output, _) = Run(augmentation, images);
            Assert.True(MaxDifference(output, images) < 1e-5f, $"{augmentation} moved pixels");
        }
    }

    [Fact]
    public void A_quarter_turn_is_a_counter_clockwise_rot90()
    {
        var images = Random(2, 3, 8, 8);
        var quarter = new FactorRange(0.25, 0.25);
        var (nearest, _) = Run(new RandomRotation(quarter, FillMode.Constant, Interpolation.Nearest), images);
        Assert.True(nearest.SameAs(images.rot90(1, (2, 3))));
        var (bilinear, _) = Run(new RandomRotation(quarter, FillMode.Constant), images);
        Assert.True(MaxDifference(bilinear, images.rot90(1, (2, 3))) < 1e-5f);
        // counter-clockwise on screen: the top-right pixel goes to the top-left
        Assert.Equal(images[0, 0, 0, 7].item<float>(), nearest[0, 0, 0, 0].item<float>());
    }

    [Fact]
    public void Zoom_scales_each_image_by_a_factor_within_its_bounds()
    {
        // x-ramp images: the value is the column's distance from the centre, so the slope in the middle is the zoom.
        const int n = 64, side = 33;
        var ramp = arange(side, dtype: ScalarType.Float32).sub(side / 2).div(side).add(0.5f);
        var images = ramp.view(1, 1, 1, side).expand(n, 1, side, side).contiguous();
        var (zoomed, _) = Run(new RandomZoom(new FactorRange(-0.3, 0.2), FillMode.Nearest), images);
        var middle = zoomed.select(2, side / 2);
        var slopes = middle.narrow(2, side / 2 + 1, 1).sub(middle.narrow(2, side / 2 - 1, 1)).mul(side / 2.0).view(n);
        var zooms = slopes.data<float>().ToArray();
        Assert.All(zooms, z => Assert.InRange(z, 0.7 - 1e-4, 1.2 + 1e-4));
        Assert.True(zooms.Max() - zooms.Min() > 0.2, "each image should get its own zoom");
    }

    [Fact]
    public void Translation_by_whole_pixels_moves_the_image_and_fills_the_uncovered_side()
    {
        var images = Random(2, 1, 8, 8, low: 0.1, high: 1);
        var twoRight = new FactorRange(0.25, 0.25); // a quarter of 8 pixels
        var none = new FactorRange(0, 0);
        var (constant, _) = Run(new RandomTranslation(none, twoRight, FillMode.Constant, Interpolation.Nearest), images);
        Assert.True(constant.narrow(3, 2, 6).SameAs(images.narrow(3, 0, 6)));
        Assert.True(constant.narrow(3, 0, 2).eq(0).all().item<bool>());

        var (wrapped, _) = Run(new RandomTranslation(none, twoRight, FillMode.Wrap, Interpolation.Nearest), images);
        Assert.True(wrapped.SameAs(images.roll(2, 3)));

        // reflect (Keras): d c b a | a b c d, so the two new columns are b a
        var (reflected, _) = Run(new RandomTranslation(none, twoRight, FillMode.Reflect, Interpolation.Nearest), images);
        Assert.True(reflected.select(3, 0).SameAs(images.select(3, 1)));
        Assert.True(reflected.select(3, 1).SameAs(images.select(3, 0)));

        var (nearest, _) = Run(new RandomTranslation(none, twoRight, FillMode.Nearest, Interpolation.Nearest), images);
        Assert.True(nearest.select(3, 0).SameAs(images.select(3, 0)));

        var (down, _) = Run(new RandomTranslation(new FactorRange(0.25, 0.25), none, FillMode.Constant), images);
        Assert.True(MaxDifference(down.narrow(2, 2, 6), images.narrow(2, 0, 6)) < 1e-5f);
    }

    [Fact]
    public void A_constant_fill_uses_its_value()
    {
        var images = Random(1, 1, 8, 8);
        var (output, _) = Run(new RandomTranslation(new FactorRange(0.5, 0.5), new FactorRange(0, 0), FillMode.Constant, Interpolation.Nearest, fillValue: 0.25), images);
        Assert.True(output.narrow(2, 0, 4).eq(0.25f).all().item<bool>());
    }

    [Fact]
    public void Random_crop_with_padding_is_a_window_of_the_padded_image()
    {
        const int pad = 3;
        var images = Random(24, 2, 10, 10, low: 0.1);
        var (cropped, _) = Run(new RandomCrop(pad), images);
        var padded = TorchSharp.torch.nn.functional.pad(images, [pad, pad, pad, pad]);
        var offsets = new HashSet<(int, int)>();
        for (int i = 0; i < 24; i++)
        {
            var match = (from dy in Enumerable.Range(0, 2 * pad + 1) from dx in Enumerable.Range(0, 2 * pad + 1)
                         where padded[i].narrow(1, dy, 10).narrow(2, dx, 10).SameAs(cropped[i]) select (dy, dx)).ToList();
            Assert.NotEmpty(match);
            offsets.Add(match[0]);
        }
        Assert.True(offsets.Count > 5, "offsets should vary per image");
    }

    [Fact]
    public void Contrast_keeps_each_channels_mean_and_scales_its_spread_within_the_factor()
    {
        var images = Random(16, 3, 6, 6, low: 0.4, high: 0.6); // far from 0 and 1: nothing clips
        var (output, _) = Run(new RandomContrast(0.5), images);
        Assert.True(MaxDifference(output.mean([2, 3]), images.mean([2, 3])) < 1e-5f);
        var ratio = output.std([2, 3]).div(images.std([2, 3]));
        Assert.True(ratio.ge(0.5 - 1e-4).all().item<bool>() && ratio.le(1.5 + 1e-4).all().item<bool>());
        // one factor per image: all channels of an image stretch alike
        Assert.True(MaxDifference(ratio, ratio.narrow(1, 0, 1).expand(16, 3)) < 1e-4f);
    }

    [Fact]
    public void Brightness_adds_one_offset_per_image_within_the_factor()
    {
        var images = Random(16, 3, 6, 6, low: 0.3, high: 0.7);
        var (output, _) = Run(new RandomBrightness(0.2), images);
        var offset = output.sub(images);
        var perImage = offset.amax([1, 2, 3]);
        Assert.True(MaxDifference(offset.amin([1, 2, 3]), perImage) < 1e-5f);
        Assert.True(perImage.abs().le(0.2 + 1e-5).all().item<bool>());
        Assert.True(Run(new RandomBrightness(0.9), images).Images.ge(0).all().item<bool>()); // clipped to [0, 1]
    }

    [Fact]
    public void Erasing_blanks_one_rectangle_within_the_area_bounds()
    {
        var images = Random(32, 3, 16, 16, low: 0.1);
        var (output, _) = Run(new RandomErasing(probability: 1, scale: (0.1, 0.2), value: 0), images);
        for (int i = 0; i < 32; i++)
        {
            var erased = output[i].eq(0).all(0); // [H, W]
            var rows = erased.any(1).nonzero().view(-1).data<long>().ToArray();
            var columns = erased.any(0).nonzero().view(-1).data<long>().ToArray();
            long area = erased.sum().item<long>();
            Assert.Equal(rows.Length * columns.Length, area); // a filled rectangle
            Assert.Equal(rows.Length, rows[^1] - rows[0] + 1);
            Assert.InRange(area, 1, 0.3 * 256); // 0.2 of the area, give or take the rounding of its sides
            var untouched = erased.logical_not();
            Assert.True(output[i].masked_select(untouched.expand(3, 16, 16)).SameAs(images[i].masked_select(untouched.expand(3, 16, 16))));
        }
        var (none, _) = Run(new RandomErasing(probability: 0), images);
        Assert.True(none.SameAs(images));
    }

    [Fact]
    public void Rare_class_augmentation_touches_only_the_rare_rows()
    {
        var images = Random(12, 1, 4, 4);
        var labels = tensor(new long[] { 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2 });
        var (output, targets) = Run(new RareClassAugmentation(new RandomFlip(probability: 1), [2]), images, labels, classes: 3);
        for (int i = 0; i < 12; i++)
            Assert.True(output[i].SameAs(i % 3 == 2 ? images[i].flip(2) : images[i]), $"row {i}");
        Assert.True(targets.SameAs(labels));
        Assert.Equal([2], RareClassAugmentation.FindRareClasses([0, 0, 0, 0, 1, 1, 1, 2], 3));
    }
}
