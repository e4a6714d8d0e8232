using System.Globalization;
using ImageClassifier.Evaluation.Explain;
using ImageClassifier.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ImageClassifier.Serving;

/// <summary>POST /predict, POST /explain and GET /health, with their OpenAPI descriptions.</summary>
public static class PredictionEndpoints
{
    public static void MapPrediction(this IEndpointRouteBuilder app)
    {
        app.MapPost("/predict", Predict)
            .WithName("Predict")
            .WithSummary("Top-k classes of one or several images")
            .WithDescription("The body is one image (raw bytes, any content type) or multipart/form-data with one file part per image. " +
                "Query: top (classes per image, default 5). Images are recognised by content and resized to the model's input as `imgclass predict` does.")
            .WithImageBody("One or several images: the raw body, or multipart/form-data file parts.")
            .Produces<PredictResponse>()
            .ProducesUploadProblems()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        app.MapPost("/explain", Explain)
            .WithName("Explain")
            .WithSummary("Grad-CAM of one image as a PNG")
            .WithDescription("The body is one image, as for /predict. Query: view (overlay, default, or panel: image | heatmap | overlay), " +
                "class (name or index; default the predicted class), method (gradcam, gradcam++), colormap (jet, viridis), alpha (0..1). " +
                "Headers X-Predicted-Class, X-Predicted-Probability and X-Explained-Class say what the picture shows.")
            .WithImageBody("One image: the raw body, or one multipart/form-data file part.")
            .Produces(StatusCodes.Status200OK, contentType: "image/png")
            .ProducesUploadProblems();

        app.MapGet("/health", Health)
            .WithName("Health")
            .WithSummary("The server is up: its model and what the micro-batcher has done")
            .Produces<HealthResponse>();
    }

    static async Task<IResult> Predict(HttpContext context, ServedModel model, MicroBatcher batcher, ServerOptions options)
    {
        try
        {
            int top = QueryInt(context, "top", options.DefaultTopK, 1, int.MaxValue);
            var inputs = await ReadImages(context, model, options);
            var pending = batcher.TryPredict(inputs, top, context.RequestAborted)
                ?? throw RequestProblem.Busy($"the server is shutting down or has {options.MaxQueuedRequests} requests waiting already; try again shortly.");
            var predictions = await pending;
            return Results.Ok(new PredictResponse(model.Classifier.Spec.Architecture, predictions.Select(ImagePrediction.From).ToArray()));
        }
        catch (RequestProblem problem) { return problem.ToResult(context); }
    }

    static async Task<IResult> Explain(HttpContext context, ServedModel model, ServerOptions options)
    {
        try
        {
            var explainOptions = ReadExplainOptions(context, model.Classifier);
            string view = context.Request.Query["view"].FirstOrDefault() ?? "overlay";
            if (view is not ("overlay" or "panel")) throw RequestProblem.BadRequest($"view must be overlay or panel, not '{view}'.");
            var inputs = await ReadImages(context, model, options);
            if (inputs.Count != 1) throw RequestProblem.BadRequest($"/explain takes one image, not {inputs.Count}: send one request per image.");
            var (png, explanation) = await model.ExplainAsync(inputs[0], explainOptions, view == "panel", context.RequestAborted);
            var headers = context.Response.Headers;
            headers["X-Predicted-Class"] = Uri.EscapeDataString(explanation.Predicted.Name);
            headers["X-Predicted-Probability"] = explanation.Predicted.Probability.ToString("0.######", CultureInfo.InvariantCulture);
            headers["X-Explained-Class"] = Uri.EscapeDataString(explanation.Class.Name);
            return Results.File(png, "image/png");
        }
        catch (RequestProblem problem) { return problem.ToResult(context); }
    }

    // What an image upload can get wrong: a bad query or body (400), too large (413), not an image (415), refused by its header (422).
    static RouteHandlerBuilder ProducesUploadProblems(this RouteHandlerBuilder endpoint) => endpoint
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
        .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

    static IResult Health(ServedModel model, MicroBatcher batcher)
    {
        var classifier = model.Classifier;
        var shape = classifier.InputShape;
        var (requests, images, batches, waiting) = batcher.Counts;
        return Results.Ok(new HealthResponse("ok", classifier.Spec.Architecture, model.Source,
            new InputShape(shape.Channels, shape.Height, shape.Width), classifier.ClassNames,
            new BatchingStats(batcher.MaxBatch, batcher.MaxWait.TotalMilliseconds, requests, images, batches,
                batches == 0 ? 0 : Math.Round((double)images / batches, 3), waiting)));
    }

    // Decoding runs here, on the request's own thread, so that many uploads decode side by side while the model runs.
    static async Task<IReadOnlyList<ImageClassifier.Data.ImageFileInput>> ReadImages(HttpContext context, ServedModel model, ServerOptions options)
    {
        var uploads = await UploadReader.ReadAsync(context.Request, options, context.RequestAborted);
        RequestLogging.NoteImages(context, uploads.Count);
        return uploads.Select(u => UploadedImages.Read(u, model.Classifier.InputShape, options)).ToArray();
    }

    static ExplainOptions ReadExplainOptions(HttpContext context, Classifier model)
    {
        var query = context.Request.Query;
        try
        {
            var options = new ExplainOptions(
                Class: query["class"].FirstOrDefault() is string c ? GradCam.ResolveClass(model, c) : null,
                Method: CamMethods.Parse(query["method"].FirstOrDefault() ?? "gradcam"),
                ColorMap: ColorMaps.Parse(query["colormap"].FirstOrDefault() ?? "jet"),
                Alpha: query["alpha"].FirstOrDefault() is string a
                    ? double.TryParse(a, NumberStyles.Float, CultureInfo.InvariantCulture, out double alpha) ? alpha : double.NaN
                    : ExplainOptions.Default.Alpha);
            options.Validate();
            return options;
        }
        catch (Exception e) when (e is ArgumentException or ModelException)
        {
            throw RequestProblem.BadRequest(e.Message);
        }
    }

    static int QueryInt(HttpContext context, string name, int fallback, int min, int max)
    {
        if (context.Request.Query[name].FirstOrDefault() is not string text) return fallback;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value >= min && value <= max) return value;
        throw RequestProblem.BadRequest($"{name} must be a whole number of at least {min}, not '{text}'.");
    }
}
