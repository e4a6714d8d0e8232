using ImageClassifier.Data;
using ImageClassifier.Evaluation;
using ImageClassifier.Evaluation.Explain;
using ImageClassifier.Models;
using ImageClassifier.Reporting;

namespace ImageClassifier.Serving;

/// <summary>
/// The model a server answers with, used by one caller at a time: libtorch runs one forward pass on all
/// cores already, and Grad-CAM hooks the network, which a prediction running beside it would trip over.
/// The caller owns (and disposes) the classifier.
/// </summary>
public sealed class ServedModel(Classifier model, string source)
{
    readonly SemaphoreSlim gate = new(1, 1);

    public Classifier Classifier { get; } = model;

    /// <summary>Where the model was loaded from, as /health reports it.</summary>
    public string Source { get; } = source;

    /// <summary>Top-k predictions for images read as the model's input, in one forward pass (the micro-batcher's work).</summary>
    public IReadOnlyList<Prediction> Predict(IReadOnlyList<ImageFileInput> images, int topK)
    {
        gate.Wait();
        try { return Classifier.Predict(images, topK); }
        finally { gate.Release(); }
    }

    /// <summary>
    /// Grad-CAM for one image as `imgclass explain` computes it (on the model's input) drawn over the image at its own size:
    /// the overlay alone, or the three-picture panel.
    /// </summary>
    public async Task<(byte[] Png, Explanation Explanation)> ExplainAsync(ImageFileInput image, ExplainOptions options, bool panel, CancellationToken cancel)
    {
        await gate.WaitAsync(cancel);
        Explanation explanation;
        try { explanation = Classifier.Explain(image.Pixels, Classifier.InputShape, options); }
        finally { gate.Release(); }
        var picture = image.Image;
        byte[] png = panel
            ? ExplanationPanel.RenderPng(picture.Pixels, picture.Shape, explanation, options)
            : ExplanationPanel.RenderOverlayPng(picture.Pixels, picture.Shape, explanation, options);
        return (png, explanation);
    }
}
