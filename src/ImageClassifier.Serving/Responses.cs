using ImageClassifier.Evaluation;

namespace ImageClassifier.Serving;

/// <summary>One class and its probability, as `imgclass predict --format json` writes it.</summary>
public sealed record ClassProbability(string Class, int Index, double Probability);

/// <summary>One image's top-k classes: the same fields as `imgclass predict --format json`.</summary>
public sealed record ImagePrediction(string Source, string Predicted, double Probability, IReadOnlyList<ClassProbability> Top, string? Note)
{
    public static ImagePrediction From(Prediction p) =>
        new(p.Source, p.Best.Name, p.Best.Probability, p.Top.Select(s => new ClassProbability(s.Name, s.Index, s.Probability)).ToArray(), p.Note);
}

/// <summary>The answer to POST /predict: the model's name and one prediction per image, in upload order.</summary>
public sealed record PredictResponse(string Model, IReadOnlyList<ImagePrediction> Predictions);

/// <summary>The model's input, as /health reports it.</summary>
public sealed record InputShape(int Channels, int Height, int Width);

/// <summary>What the micro-batcher has done: requests answered, images predicted, forward passes, and the mean batch.</summary>
public sealed record BatchingStats(int MaxBatch, double MaxWaitMs, long Requests, long Images, long Batches, double MeanBatch, long Waiting);

/// <summary>The answer to GET /health.</summary>
public sealed record HealthResponse(string Status, string Model, string Source, InputShape Input, IReadOnlyList<string> Classes, BatchingStats Batching);
