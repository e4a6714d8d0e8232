using ImageClassifier.Models;
using ImageClassifier.Training;

namespace ImageClassifier.Recipes;

/// <summary>A model a <see cref="TrainingRecipe"/> trained (its best epoch's weights), with its history and transfer stages.</summary>
public sealed record FittedModel(Classifier Model, History History, IReadOnlyList<StageResult>? Stages, int BestEpoch) : IDisposable
{
    /// <summary>Epochs trained in all, over every stage.</summary>
    public int Epochs => Stages?.Sum(s => s.History.Count) ?? History.Count;

    public void Dispose() => Model.Dispose();
}
