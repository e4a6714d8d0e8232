using ImageClassifier.Imaging;
using ImageClassifier.Models;

namespace ImageClassifier.Tests.Models;

public class ModelCostTests
{
    [Fact]
    public void The_tutorial_cnns_operations_match_a_hand_count()
    {
        using var model = Classifier.Create("tutorial-cnn", new ImageShape(1, 28, 28), [.. Enumerable.Range(0, 10).Select(i => $"c{i}")]);
        long multiplyAdds =
            26L * 26 * 32 * 1 * 9        // conv 3x3, 1 -> 32 channels, 28 -> 26 pixels
            + 11L * 11 * 64 * 32 * 9     // after a 2x2 pool: 13 -> 11
            + 3L * 3 * 64 * 64 * 9       // after a pool: 5 -> 3
            + 576L * 64 + 64L * 10;      // the dense layers
        Assert.Equal(2 * multiplyAdds, ModelCost.ForwardFlops(model));
        Assert.Equal(6 * multiplyAdds, ModelCost.TrainingFlops(model));
    }

    [Fact]
    public void ResNet18_at_224_pixels_costs_the_published_1_8_billion_multiply_adds()
    {
        // torchvision's resnet18 (1000 classes, 224x224): 1.814 G multiply-adds in its convolutions and fc, the
        // figure ptflops and fvcore publish (they add under 1% for batch norm, ReLU and pooling, which are not counted here).
        var spec = ModelRegistry.Create("resnet18", [3, 224, 224], 1000);
        using var model = new Classifier(spec, [.. Enumerable.Range(0, 1000).Select(i => $"c{i}")]);
        Assert.InRange(ModelCost.ForwardFlops(model) / 2, 1.80e9, 1.83e9);
    }
}
