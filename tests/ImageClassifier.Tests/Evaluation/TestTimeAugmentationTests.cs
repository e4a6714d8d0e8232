using ImageClassifier.Data;
using ImageClassifier.Evaluation;
using ImageClassifier.Imaging;
using ImageClassifier.Models;
using ImageClassifier.Tests.TestSupport;
using static TorchSharp.torch;

namespace ImageClassifier.Tests.Evaluation;

public class TestTimeAugmentationTests
{
    static Classifier Model()
    {
        manual_seed(11);
        return Classifier.Create("mlp", new ImageShape(1, 8, 8), ["a", "b", "c"]);
    }

    static Tensor Bytes(int seed, bool symmetric)
    {
        using var generator = new Generator((ulong)seed);
        var images = randint(0, 256, [6, 1, 8, 8], generator: generator);
        if (symmetric) images = cat([images.narrow(3, 0, 4), images.narrow(3, 0, 4).flip(3)], 3); // left half, then its mirror
        return images.to_type(ScalarType.Byte);
    }

    [Fact]
    public void Flip_averaging_leaves_mirror_symmetric_images_as_they_were()
    {
        using var model = Model();
        var images = Bytes(1, symmetric: true);
        Assert.True(images.SameAs(images.flip(3)));
        var plain = model.PredictProbabilities(images);
        var averaged = new TestTimeAugmentation().Probabilities(model, images);
        Assert.True(plain.sub(averaged).abs().max().item<float>() < 1e-5f);
    }

    [Fact]
    public void Flip_averaging_is_the_mean_of_the_image_and_its_mirror()
    {
        using var model = Model();
        var images = Bytes(2, symmetric: false);
        var expected = model.PredictProbabilities(images).add(model.PredictProbabilities(images.flip(3))).div(2);
        var averaged = new TestTimeAugmentation().Probabilities(model, images);
        Assert.True(expected.sub(averaged).abs().max().item<float>() < 1e-5f);
        Assert.True(averaged.sum(1).sub(1).abs().max().item<float>() < 1e-5f);
        var crops = new TestTimeAugmentation(HorizontalFlip: true, VerticalFlip: true, Crops: true);
        Assert.Equal(8, crops.ViewCount);
        Assert.Equal([6, 3], crops.Probabilities(model, images).shape);
    }

    [Fact]
    public void Shifts_average_the_image_moved_down_right_and_up_left_with_their_mirrors()
    {
        using var model = Model();
        var images = Bytes(4, symmetric: false);
        // Moved by hand: a row and a column of zeros in at the top and left (down-right), or at the bottom and right (up-left).
        var zeroRow = zeros([6, 1, 1, 8], ScalarType.Byte);
        var zeroColumn = zeros([6, 1, 8, 1], ScalarType.Byte);
        var downRight = cat([zeroColumn, cat([zeroRow, images.narrow(2, 0, 7)], 2).narrow(3, 0, 7)], 3);
        var upLeft = cat([cat([images.narrow(2, 1, 7), zeroRow], 2).narrow(3, 1, 7), zeroColumn], 3);
        var views = new[] { images, downRight, upLeft };
        var expected = views.Select(v => model.PredictProbabilities(v).add(model.PredictProbabilities(v.flip(3)))).Aggregate((a, b) => a.add(b)).div(6);

        var tta = TestTimeAugmentation.Parse("flip,shift");
        Assert.Equal((1, 6), (tta.Shift, tta.ViewCount));
        Assert.True(expected.sub(tta.Probabilities(model, images)).abs().max().item<float>() < 1e-5f);
        Assert.Equal(3, TestTimeAugmentation.Parse("shift=2").ViewCount);
        Assert.Equal(2, TestTimeAugmentation.Parse("shift=2").Shift);
        Assert.Contains("shift=N", Assert.Throws<ArgumentException>(() => TestTimeAugmentation.Parse("flip,shift=0")).Message);
    }

    [Fact]
    public void Evaluate_and_predict_take_it_and_bad_specs_are_refused()
    {
        using var model = Model();
        var pixels = Bytes(3, symmetric: true).data<byte>().ToArray();
        var data = new ImageDataset("sym", new ImageShape(1, 8, 8), ["a", "b", "c"], pixels, [0, 1, 2, 0, 1, 2]);
        var plain = model.Evaluate(data);
        var averaged = model.Evaluate(data, tta: TestTimeAugmentation.Parse("flip"));
        Assert.Equal(plain.Predicted, averaged.Predicted);
        Assert.Equal(plain.Loss, averaged.Loss, 4);
        Assert.Equal(model.Predict(data).Select(p => p.Best.Name), model.Predict(data, tta: new TestTimeAugmentation()).Select(p => p.Best.Name));
        Assert.Contains("Unknown test-time augmentation 'spin'", Assert.Throws<ArgumentException>(() => TestTimeAugmentation.Parse("flip,spin")).Message);
    }
}
