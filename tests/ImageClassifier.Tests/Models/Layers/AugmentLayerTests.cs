using ImageClassifier.Data;
using ImageClassifier.Models;
using ImageClassifier.Models.Layers;
using ImageClassifier.Serialization;
using ImageClassifier.Tests.TestSupport;
using ImageClassifier.Training;
using static TorchSharp.torch;

namespace ImageClassifier.Tests.Models.Layers;

/// <summary>Augmentation as a Keras-style preprocessing layer inside a Sequential model.</summary>
public class AugmentLayerTests
{
    static Classifier Model()
    {
        manual_seed(4);
        return new Classifier(new ModelSpec("augmented-mlp", [1, 8, 8], 2,
            [new Augment("flip,translate=0.1:constant,erase", Seed: 3), new Flatten(), new Dense(16, Activation: "relu"), new Dense(2)]), ["left", "right"]);
    }

    [Fact]
    public void Trains_saves_and_loads_and_leaves_predictions_alone()
    {
        using var dir = new TempDirectory();
        using var model = Model();
        Assert.Equal("Augmentation", model.Summary().Rows[0].Kind);
        Assert.Equal(0, model.Summary().Rows[0].Parameters);
        var history = model.Fit(Synthetic.LeftRight(128, 1), Synthetic.LeftRight(64, 2), new TrainingOptions { Epochs = 2, BatchSize = 16 });
        Assert.Equal(2, history.Count);

        model.Save(dir.File("model.imgclass"));
        using var loaded = ModelFile.Load(dir.File("model.imgclass"));
        Assert.Equal(model.Spec.Layers[0], loaded.Spec.Layers[0]);
        using var input = randint(0, 256, [6, 1, 8, 8]).to_type(ScalarType.Byte);
        // prediction runs in evaluation mode, where the layer passes images through: same answers, every time
        Assert.True(model.PredictProbabilities(input).eq(loaded.PredictProbabilities(input)).all().item<bool>());
        Assert.True(model.PredictProbabilities(input).eq(model.PredictProbabilities(input)).all().item<bool>());
    }
}
