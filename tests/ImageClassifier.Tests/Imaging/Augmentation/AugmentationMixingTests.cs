using ImageClassifier.Imaging.Augmentation;
using ImageClassifier.Tests.TestSupport;
using static ImageClassifier.Tests.Imaging.Augmentation.AugmentationTestData;
using static TorchSharp.torch;

namespace ImageClassifier.Tests.Imaging.Augmentation;

/// <summary>MixUp and CutMix: soft targets that sum to 1 and say exactly how much of each image is shown.</summary>
public class AugmentationMixingTests
{
    // Image i is a constant 0.1 * i, with label i: every pixel says which image it came from.
    static (Tensor Images, Tensor Labels) Distinct(int n = 10) =>
        (arange(n, dtype: ScalarType.Float32).mul(0.1f).view(n, 1, 1, 1).expand(n, 3, 12, 16).contiguous(), arange(n, dtype: ScalarType.Int64));

    [Fact]
    public void MixUp_targets_sum_to_one_and_match_the_blend_of_the_images()
    {
        var (images, labels) = Distinct();
        var (mixed, targets) = Run(new MixUp(alpha: 0.4), images, labels);
        Assert.Equal([10, 10], targets.shape);
        Assert.True(MaxDifference(targets.sum(1), ones(10)) < 1e-6f);
        Assert.True(targets.ge(0).all().item<bool>());
        // each image is sum_c t_c * (0.1 c): the targets hold exactly the shares blended
        var values = arange(10, dtype: ScalarType.Float32).mul(0.1f);
        Assert.True(MaxDifference(mixed.mean([1, 2, 3]), targets.matmul(values)) < 1e-5f);
        Assert.True(targets.max(1).values.lt(0.999f).any().item<bool>(), "some images should be mixed");
    }

    [Fact]
    public void CutMix_targets_sum_to_one_and_equal_the_share_of_pixels_each_image_shows()
    {
        var (images, labels) = Distinct();
        for (int seed = 1; seed <= 5; seed++)
        {
            var (pasted, targets) = Run(new CutMix(alpha: 1), images, labels, seed: seed);
            Assert.True(MaxDifference(targets.sum(1), ones(10)) < 1e-6f);
            for (int i = 0; i < 10; i++)
            {
                var pixels = pasted[i].select(0, 0); // [H, W]
                for (int c = 0; c < 10; c++)
                {
                    double share = pixels.eq(0.1f * c).sum().item<long>() / 192.0;
                    Assert.Equal(share, targets[i, c].item<float>(), 5);
                }
            }
        }
    }

    [Fact]
    public void Mixing_twice_keeps_soft_targets_summing_to_one()
    {
        var (images, labels) = Distinct();
        var (_, targets) = Run(new AugmentationPipeline(new MixUp(), new CutMix()), images, labels);
        Assert.True(MaxDifference(targets.sum(1), ones(10)) < 1e-6f);
    }

    [Fact]
    public void The_same_seed_gives_the_same_augmentations_and_another_seed_others()
    {
        var pipeline = AugmentationSpec.Parse("flip=both,rotate=0.1,zoom=0.1,translate=0.1,contrast=0.2,brightness=0.1,crop=2,erase,mixup,cutmix");
        var images = Random(16, 3, 12, 12);
        var labels = Labels(16);
        var (a, ta) = Run(pipeline, images, labels, seed: 3);
        var (b, tb) = Run(pipeline, images, labels, seed: 3);
        var (c, _) = Run(pipeline, images, labels, seed: 4);
        Assert.True(a.SameAs(b));
        Assert.True(ta.SameAs(tb));
        Assert.False(a.SameAs(c));
        Assert.Equal(images.shape, a.shape);
        Assert.True(a.ge(0).all().item<bool>() && a.le(1).all().item<bool>());
    }

    [Fact]
    public void An_augmentation_layer_works_in_training_and_is_the_identity_in_evaluation()
    {
        var spec = new ImageClassifier.Models.Layers.Augment("flip,rotate=0.1", Seed: 5);
        var (module, output) = spec.Build([1, 8, 8]);
        Assert.Equal([1, 8, 8], output);
        var images = Random(16, 1, 8, 8);
        module.train();
        Assert.False(module.forward(images).SameAs(images));
        module.eval();
        Assert.True(module.forward(images).SameAs(images));
        var mixing = Assert.Throws<ImageClassifier.Models.ModelException>(() => new ImageClassifier.Models.Layers.Augment("flip,mixup").Build([1, 8, 8]));
        Assert.Contains("cannot be a model layer", mixing.Message);
    }
}
