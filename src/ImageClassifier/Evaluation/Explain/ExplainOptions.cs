namespace ImageClassifier.Evaluation.Explain;

/// <summary>
/// What to explain and how to draw it. <see cref="Layer"/>: a name from <see cref="GradCam.Layers"/>
/// (default: the last convolution layer). <see cref="Class"/>: a class index (default: each image's
/// predicted class). <see cref="Alpha"/>: the heatmap's weight in the overlay, 0..1.
/// </summary>
public sealed record ExplainOptions(
    string? Layer = null, int? Class = null, CamMethod Method = CamMethod.GradCam,
    ColorMap ColorMap = ColorMap.Jet, double Alpha = 0.4)
{
    public static ExplainOptions Default { get; } = new();

    public void Validate()
    {
        if (!(Alpha >= 0 && Alpha <= 1)) throw new ArgumentException($"Alpha must be between 0 and 1, not {Alpha}.");
    }
}
