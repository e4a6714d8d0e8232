using ImageClassifier.Imaging.Augmentation;

namespace ImageClassifier.Tests.Imaging.Augmentation;

public class AugmentationSpecTests
{
    [Fact]
    public void Parses_steps_in_order_with_their_factors()
    {
        var pipeline = AugmentationSpec.Parse("flip, rotate=0.1:wrap,zoom=0.2,contrast=0.1,translate=0.05,brightness=0.2,crop=4:reflect,erase=0.3,mixup=0.4,cutmix,vflip");
        Assert.Collection(pipeline.Steps,
            s => Assert.Equal(FlipMode.Horizontal, Assert.IsType<RandomFlip>(s).Mode),
            s => { var r = Assert.IsType<RandomRotation>(s); Assert.Equal(new FactorRange(-0.1, 0.1), r.Range); Assert.Equal(FillMode.Wrap, r.Fill); },
            s => Assert.Equal(new FactorRange(-0.2, 0.2), Assert.IsType<RandomZoom>(s).Range),
            s => Assert.Equal(0.1, Assert.IsType<RandomContrast>(s).Upper),
            s => Assert.Equal(FillMode.Reflect, Assert.IsType<RandomTranslation>(s).Fill),
            s => Assert.Equal(0.2, Assert.IsType<RandomBrightness>(s).Range.Upper),
            s => { var c = Assert.IsType<RandomCrop>(s); Assert.Equal(4, c.Padding); Assert.True(c.Reflect); },
            s => Assert.Equal(0.3, Assert.IsType<RandomErasing>(s).Probability),
            s => Assert.Equal(0.4, Assert.IsType<MixUp>(s).Alpha),
            s => Assert.Equal(1.0, Assert.IsType<CutMix>(s).Alpha),
            s => Assert.Equal(FlipMode.Vertical, Assert.IsType<RandomFlip>(s).Mode));
    }

    [Theory]
    [InlineData("rotate=abc", "Bad augmentation step 'rotate=abc': 'abc' is not a number; write it as in rotate=0.1.")]
    [InlineData("flip,blur=2", "Unknown augmentation 'blur' in 'blur=2': the known ones are flip, rotate, zoom, translate, contrast, brightness, crop, erase, mixup, cutmix.")]
    [InlineData("rotate=2", "Bad augmentation step 'rotate=2': rotate must be greater than 0 and at most 0.5, not 2.")]
    [InlineData("zoom=1", "Bad augmentation step 'zoom=1': zoom must be greater than 0 and less than 1, not 1.")]
    [InlineData("contrast=-0.1", "Bad augmentation step 'contrast=-0.1': contrast must be greater than 0 and at most 1, not -0.1.")]
    [InlineData("rotate", "Bad augmentation step 'rotate': rotate needs a value, as in rotate=0.1.")]
    [InlineData("rotate=0.1:mirror", "Bad augmentation step 'rotate=0.1:mirror': the fill mode must be reflect, wrap, constant or nearest, not 'mirror'.")]
    [InlineData("crop=0", "Bad augmentation step 'crop=0': crop needs a padding of 1 to 1024 whole pixels, as in crop=4.")]
    [InlineData("flip=diagonal", "Bad augmentation step 'flip=diagonal': flip takes horizontal, vertical or both.")]
    [InlineData("mixup=0", "Bad augmentation step 'mixup=0': mixup must be greater than 0.")]
    [InlineData("flip,,zoom=0.1", "Augmentation spec 'flip,,zoom=0.1' has an empty step (two commas in a row?).")]
    public void Bad_specs_say_which_step_is_wrong_and_what_fits(string spec, string message)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => AugmentationSpec.Parse(spec));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void An_empty_spec_lists_the_steps()
    {
        var error = Assert.Throws<ArgumentException>(() => AugmentationSpec.Parse(" "));
        Assert.Contains("rotate=F", error.Message);
    }
}
