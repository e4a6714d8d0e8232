using ImageClassifier.Data;
using ImageClassifier.Evaluation.Explain;
using ImageClassifier.Imaging;
using ImageClassifier.Models;
using ImageClassifier.Models.Pretrained;
using ImageClassifier.Tests.TestSupport;
using static TorchSharp.torch;

namespace ImageClassifier.Tests.Evaluation;

/// <summary>Grad-CAM on the residual networks: the small ResNet and the pretrained ImageNet ResNet18.</summary>
public class GradCamResNetTests
{
    static Tensor FashionMnistBatch(int count)
    {
        var images = FashionMnist.Test.Take(count);
        return tensor(images.Pixels, [count, 1, 28, 28]);
    }

    static void AssertMaps(GradCamResult result, int count, int height, int width)
    {
        Assert.Equal([(long)count, height, width], result.Heatmaps.shape);
        Assert.True(result.Heatmaps.min().item<float>() >= 0 && result.Heatmaps.max().item<float>() <= 1);
        Assert.True(result.Heatmaps.max().item<float>() > 0, "the maps are empty");
    }

    [Fact]
    public void Works_on_the_small_resnet_and_defaults_to_its_last_feature_map()
    {
        manual_seed(1);
        using var model = Classifier.Create("resnet-small", new ImageShape(1, 28, 28), FashionMnist.Test.ClassNames);
        var gradCam = new GradCam(model);
        Assert.Contains(gradCam.Layers, name => name.Contains("layer3"));
        // The default is the backbone's own output: the last stage's feature map, before pooling.
        Assert.Equal("resnet", gradCam.Layers[^1]);
        using var batch = FashionMnistBatch(2);
        using var result = gradCam.Explain(batch);
        AssertMaps(result, 2, 28, 28);
    }

    [Fact]
    public void Works_on_the_pretrained_resnet18_with_grayscale_input_resized()
    {
        using var model = TransferLearning.FromPretrained("resnet18-imagenet", FashionMnist.Test.ClassNames, (112, 112));
        var gradCam = new GradCam(model);
        Assert.Contains(gradCam.Layers, name => name.Contains("layer4"));
        using var batch = FashionMnistBatch(1);
        using var result = gradCam.Explain(batch);
        AssertMaps(result, 1, 28, 28); // the maps come back at the size of the images given
        var error = Assert.Throws<ModelException>(() => new GradCam(model, "layer9"));
        Assert.Contains("layer4", error.Message);
    }
}
