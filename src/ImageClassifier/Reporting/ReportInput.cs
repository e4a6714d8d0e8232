using ImageClassifier.Data;
using ImageClassifier.Evaluation;
using ImageClassifier.Models;
using ImageClassifier.Training;

namespace ImageClassifier.Reporting;

/// <summary>
/// What an <see cref="HtmlReport"/> shows: a model, its evaluation on a dataset (and that dataset's
/// images, for the prediction grids), and optionally its training history and a dataset to show
/// samples of (the training split, say).
/// </summary>
public sealed record ReportInput
{
    public required Classifier Model { get; init; }

    /// <summary>The images <see cref="Result"/> was computed on, in the same order.</summary>
    public required ImageDataset Evaluated { get; init; }

    public required EvaluationResult Result { get; init; }

    /// <summary>The metrics; made from <see cref="Result"/> (top-5, <see cref="SampleCount"/> top losses) when not given.</summary>
    public EvaluationReport? Evaluation { get; init; }

    /// <summary>The dataset of the sample grid; <see cref="Evaluated"/> when not given.</summary>
    public ImageDataset? Samples { get; init; }

    public History? History { get; init; }

    /// <summary>How many images the sample, prediction and top-loss grids show.</summary>
    public int SampleCount { get; init; } = 25;

    /// <summary>The page title; "model on dataset" when not given.</summary>
    public string? Title { get; init; }

    /// <summary>When the report was made; now when not given (tests fix it).</summary>
    public DateTimeOffset? Created { get; init; }
}
