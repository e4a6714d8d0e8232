using ImageClassifier.Data.Loading;
using ImageClassifier.Training.Schedules;

namespace ImageClassifier.Recipes;

public sealed partial record TrainingRecipe
{
    /// <summary>
    /// The learning-rate range test on this recipe's fresh model, optimiser, batch size and augmentation
    /// (see <see cref="LearningRateFinder"/>); the model is thrown away afterwards.
    /// </summary>
    public LearningRateSweep FindLearningRate(TrainingData data, double start = 1e-7, double end = 10, int steps = 100, TextWriter? log = null)
    {
        Validate();
        var options = OptionsFor(data.Train.Labels, data.Train.ClassNames.Count, log ?? TextWriter.Null);
        using var model = CreateModel(data);
        return LearningRateFinder.Find(model, data.Train, options, start, end, steps);
    }
}
