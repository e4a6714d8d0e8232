using ImageClassifier.Evaluation;
using ImageClassifier.Evaluation.Explain;
using ImageClassifier.Imaging;
using ImageClassifier.Models;
using ImageClassifier.Models.Layers;
using ImageClassifier.Tests.TestSupport;
using ImageClassifier.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ImageClassifier.Tests.Evaluation;

/// <summary>Grad-CAM: where trained models look, the weights against independent gradients, and the errors.</summary>
public class GradCamTests
{
    static Classifier SquaresModel(int seed)
    {
        manual_seed(seed);
        return new Classifier(new ModelSpec("squares-cnn", [1, SyntheticObjects.Side, SyntheticObjects.Side], 2,
            [new Conv2D(8, 3, Padding: "same", Activation: "relu"), new MaxPool2D(2), new Conv2D(16, 3, Padding: "same", Activation: "relu"),
             new GlobalAveragePool(), new Dense(2)]), ["square", "none"]);
    }

    static Tensor Batch(ImageClassifier.Data.ImageDataset data) =>
        tensor(data.Pixels, [data.Count, data.Shape.Channels, data.Shape.Height, data.Shape.Width]);

    [Theory]
    // Measured over 100 test squares (torch seeds 1-4 alike): Grad-CAM puts 0.90-0.91 of the mass in the
    // square's quadrant on average (least 0.71-0.74) and 0.74-0.75 in the 7x7 box around it (least
    // 0.65-0.67); Grad-CAM++ 0.82-0.85 (least 0.65-0.66) and 0.64-0.67 (least 0.54-0.56).
    // Chance is 0.25 for the quadrant and 0.12 for the box.
    [InlineData(CamMethod.GradCam, 0.85, 0.6, 0.55)]
    [InlineData(CamMethod.GradCamPlusPlus, 0.75, 0.55, 0.45)]
    public void A_trained_model_looks_at_the_object_that_decides_the_class(CamMethod method, double meanQuadrant, double leastQuadrant, double leastBox)
    {
        using var model = SquaresModel(seed: 1);
        var (train, _) = SyntheticObjects.Create(600, seed: 1);
        var (test, objects) = SyntheticObjects.Create(200, seed: 2);
        model.Fit(train, null, new TrainingOptions { Epochs = 6, BatchSize = 32, LearningRate = 1e-2, Seed = 1 });
        Assert.True(model.Evaluate(test).Accuracy >= 0.95, "the model should learn the task");

        using var batch = Batch(test);
        using var result = model.Explain(batch, new ExplainOptions(Method: method));
        Assert.Equal("conv2d_1", result.Layer);
        var quadrant = new List<double>();
        for (int i = 0; i < test.Count; i++)
        {
            if (objects[i] is not { } o) continue;
            var explanation = result[i];
            Assert.Equal("square", explanation.Predicted.Name);
            quadrant.Add(explanation.Heatmap.MassIn(o.QuadrantX, o.QuadrantY, SyntheticObjects.Quadrant, SyntheticObjects.Quadrant));
            double box = explanation.Heatmap.MassIn(o.X - 1, o.Y - 1, SyntheticObjects.ObjectSize + 2, SyntheticObjects.ObjectSize + 2);
            Assert.True(box > leastBox, $"image {i}: {box:0.000} of the mass around the square");
        }
        Assert.Equal(100, quadrant.Count);
        Assert.True(quadrant.Average() > meanQuadrant, $"mean mass in the square's quadrant {quadrant.Average():0.000}");
        Assert.True(quadrant.Min() > leastQuadrant, $"least mass in the square's quadrant {quadrant.Min():0.000}");
    }

    static Classifier PoolingModel()
    {
        manual_seed(3);
        return new Classifier(new ModelSpec("tiny", [1, 6, 6], 2,
            [new Conv2D(4, 3, Padding: "same", Activation: "relu"), new GlobalAveragePool(), new Dense(2)]), ["a", "b"]);
    }

    static Tensor RandomImages(int count, int side, int seed, int channels = 1)
    {
        using var generator = new Generator((ulong)seed);
        return randint(0, 256, [count, channels, side, side], generator: generator).to_type(ScalarType.Byte);
    }

    [Fact]
    public void Channel_weights_are_the_average_gradients_of_a_pooled_linear_head()
    {
        // score_c = sum_k W[c,k] mean_ij A_k(i,j) + b_c, so dscore/dA_k(i,j) = W[c,k] / (h w) everywhere.
        using var model = PoolingModel();
        using var images = RandomImages(3, 6, seed: 4);
        using var result = model.Explain(images, new ExplainOptions(Class: 1));
        var dense = (TorchSharp.Modules.Linear)model.Network.Layers[2].Module;
        using var expected = (dense.weight![1] / 36).unsqueeze(0).expand(3, 4);
        Assert.True(result.Weights.allclose(expected, rtol: 1e-5, atol: 1e-8), $"{result.Weights.str()} vs {expected.str()}");
    }

    [Fact]
    public void Grad_cam_plus_plus_weights_follow_the_closed_form()
    {
        // With the constant gradient g_k = W[c,k] / (h w): w_k = sum_ij ReLU(g_k) / (2 + g_k sum_ij A_k).
        using var model = PoolingModel();
        using var images = RandomImages(2, 6, seed: 5);
        using var result = model.Explain(images, new ExplainOptions(Class: 0, Method: CamMethod.GradCamPlusPlus));
        using var noGrad = no_grad();
        var dense = (TorchSharp.Modules.Linear)model.Network.Layers[2].Module;
        using var activation = model.Network.Layers[0].Module.forward(model.Preprocessing.Apply(images));
        using var g = (dense.weight![0] / 36).unsqueeze(0);
        using var expected = 36 * nn.functional.relu(g) / (2 + g * activation.sum([2, 3]));
        Assert.True(result.Weights.allclose(expected, rtol: 1e-4, atol: 1e-7), $"{result.Weights.str()} vs {expected.str()}");
    }

    [Fact]
    public void Channel_weights_equal_finite_difference_gradients_through_a_nonlinear_head()
    {
        // The model split at the explained layer: A = first half (image), score = second half (A).
        // Central differences of the second half in float64 give dscore/dA independently of autograd.
        manual_seed(6);
        using var model = new Classifier(new ModelSpec("split", [1, 6, 6], 3,
            [new Conv2D(3, 3, Padding: "same", Activation: "relu"), new Conv2D(4, 3, Activation: "tanh"), new Flatten(),
             new Dense(5, "relu"), new Dense(3)]), ["a", "b", "c"]);
        using var image = RandomImages(1, 6, seed: 7);
        using var result = model.Explain(image, new ExplainOptions(Layer: "conv2d", Class: 2));

        model.Network.to(ScalarType.Float64);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var layers = model.Network.Layers;
        var activation = layers[0].Module.forward(model.Preprocessing.Apply(image).to_type(ScalarType.Float64)); // [1, 3, 6, 6]
        int elements = (int)activation.numel();
        const double step = 1e-6;
        var perturbation = eye(elements, dtype: ScalarType.Float64).mul(step).view(elements, 3, 6, 6);
        Tensor Score(Tensor a) => layers.Skip(1).Aggregate(a, (x, layer) => layer.Module.forward(x))[.., 2];
        var gradient = ((Score(activation + perturbation) - Score(activation - perturbation)) / (2 * step)).view(3, 36);
        var expected = gradient.mean([1]).to_type(ScalarType.Float32).unsqueeze(0);
        Assert.True(expected.abs().min().item<float>() > 1e-4, $"every channel should matter here: {expected.str()}");
        Assert.True(result.Weights.allclose(expected, rtol: 1e-4, atol: 1e-6), $"{result.Weights.str()} vs {expected.str()}");
    }

    [Fact]
    public void A_batch_gives_the_maps_of_its_images_one_by_one()
    {
        var model = TrainedTutorialCnn.Model;
        var test = FashionMnist.Test;
        using var batch = tensor(test.Pixels.AsSpan(0, 3 * test.Shape.Size).ToArray(), [3, 1, 28, 28]);
        foreach (var method in new[] { CamMethod.GradCam, CamMethod.GradCamPlusPlus })
        {
            using var together = model.Explain(batch, new ExplainOptions(Method: method));
            for (int i = 0; i < 3; i++)
            {
                using var single = model.Explain(batch.narrow(0, i, 1), new ExplainOptions(Method: method));
                Assert.True(together.Heatmaps[i].allclose(single.Heatmaps[0], rtol: 1e-4, atol: 1e-5), $"{method}, image {i}");
                Assert.Equal(together.Classes[i], single.Classes[0]);
            }
        }
    }

    [Fact]
    public void The_tutorial_cnn_explains_fashion_mnist_with_maps_at_the_input_size()
    {
        var model = TrainedTutorialCnn.Model;
        var test = FashionMnist.Test.Take(16);
        var gradCam = new GradCam(model);
        Assert.Equal(["conv2d", "conv2d_1", "conv2d_2"], gradCam.Layers);
        Assert.Equal("conv2d_2", gradCam.Layer);
        Assert.Equal([64L, 3, 3], gradCam.Target.OutputShape);

        using var batch = Batch(test);
        using var result = gradCam.Explain(batch);
        Assert.Equal([16L, 28, 28], result.Heatmaps.shape);
        Assert.Equal([16L, 64], result.Weights.shape);
        Assert.True(result.Heatmaps.min().item<float>() >= 0 && result.Heatmaps.max().item<float>() <= 1);
        for (int i = 0; i < test.Count; i++)
        {
            var explanation = result[i];
            Assert.Equal((28, 28), (explanation.Heatmap.Width, explanation.Heatmap.Height));
            float max = explanation.Heatmap.Values.Max();
            Assert.True(max == 1 || max == 0, $"image {i}: maximum {max}, not normalised");
            Assert.Equal(explanation.Predicted, explanation.Class);
        }
        Assert.True(Enumerable.Range(0, test.Count).Count(i => result[i].Heatmap.Values.Max() == 1) >= 12, "most maps should show some evidence");
        Assert.True(Enumerable.Range(0, test.Count).Count(i => result[i].Predicted.Index == test.Labels[i]) >= 10, "the model should have learned something");

        // An earlier layer, and an image of another size: maps come back at the size given.
        using var big = nn.functional.interpolate(batch.narrow(0, 0, 2).to_type(ScalarType.Float32), [40, 36], mode: InterpolationMode.Bilinear).to_type(ScalarType.Byte);
        using var resized = model.Explain(big, new ExplainOptions(Layer: "conv2d"));
        Assert.Equal([2L, 40, 36], resized.Heatmaps.shape);
        Assert.Equal([2L, 32], resized.Weights.shape);
    }

    [Fact]
    public void An_all_zero_map_stays_zero()
    {
        // All weights of the head zero: no evidence for any class anywhere.
        using var model = PoolingModel();
        using (no_grad()) ((TorchSharp.Modules.Linear)model.Network.Layers[2].Module).weight!.zero_();
        using var images = RandomImages(2, 6, seed: 8);
        using var result = model.Explain(images);
        Assert.Equal(0f, result.Heatmaps.abs().max().item<float>());
    }

    [Fact]
    public void An_unknown_layer_is_an_error_that_lists_the_convolution_layers()
    {
        var model = TrainedTutorialCnn.Model;
        var unknown = Assert.Throws<ModelException>(() => new GradCam(model, "conv9"));
        Assert.Equal("The model has no layer 'conv9'. Convolution layers: conv2d, conv2d_1, conv2d_2.", unknown.Message);
        var dense = Assert.Throws<ModelException>(() => new GradCam(model, "dense"));
        Assert.Contains("'dense' is not a convolution layer", dense.Message);
        Assert.Contains("conv2d, conv2d_1, conv2d_2", dense.Message);
        Assert.Equal("conv2d_1", new GradCam(model, "CONV2D_1").Layer);
    }

    [Fact]
    public void A_model_without_convolutions_is_an_error()
    {
        using var model = Classifier.Create("mlp", new ImageShape(1, 28, 28), Enumerable.Range(0, 10).Select(i => $"c{i}").ToArray());
        var error = Assert.Throws<ModelException>(() => new GradCam(model));
        Assert.Contains("Grad-CAM needs a convolution layer, but model 'mlp' has none (its layers: flatten, dense, dense_1)", error.Message);
    }

    [Fact]
    public void A_class_out_of_range_and_images_the_model_cannot_take_are_errors()
    {
        using var model = PoolingModel();
        using var images = RandomImages(2, 6, seed: 9);
        var range = Assert.Throws<ModelException>(() => model.Explain(images, new ExplainOptions(Class: 2)));
        Assert.Equal("Class index 2 is out of range: the model has 2 classes, 0 to 1 (a, b).", range.Message);
        Assert.Throws<ModelException>(() => model.Explain(images, new ExplainOptions(Class: -1)));
        var name = Assert.Throws<ModelException>(() => GradCam.ResolveClass(model, "zebra"));
        Assert.Contains("no class 'zebra'. Its classes: a, b", name.Message);
        Assert.Equal(1, GradCam.ResolveClass(model, "B"));
        Assert.Equal(1, GradCam.ResolveClass(model, "1"));

        using var rgb = RandomImages(1, 6, seed: 10, channels: 3);
        var channels = Assert.Throws<ModelException>(() => model.Explain(rgb));
        Assert.Equal("The model takes 1-channel images but got 3 channels.", channels.Message);
        using var floats = images.to_type(ScalarType.Float32);
        Assert.Throws<ArgumentException>(() => model.Explain(floats));
    }
}
