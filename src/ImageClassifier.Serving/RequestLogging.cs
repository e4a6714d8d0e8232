using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ImageClassifier.Serving;

/// <summary>
/// One structured log entry per request, written when it is answered: method, path, status, milliseconds, images
/// and bytes received, and the problem when it was refused. Hand-written rather than ASP.NET's HttpLogging
/// middleware because the image count and the refusal's reason are the server's own.
/// </summary>
public static class RequestLogging
{
    const string ImagesKey = "imgclass.images", ProblemKey = "imgclass.problem";

    public static void NoteImages(HttpContext context, int count) => context.Items[ImagesKey] = count;

    public static void NoteProblem(HttpContext context, string problem) => context.Items[ProblemKey] = problem;

    public static IApplicationBuilder UseRequestLogging(this IApplicationBuilder app, ILogger logger) =>
        app.Use(async (context, next) =>
        {
            long start = Stopwatch.GetTimestamp();
            try
            {
                await next(context);
            }
            finally
            {
                double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                var request = context.Request;
                int images = context.Items[ImagesKey] as int? ?? 0;
                if (context.Items[ProblemKey] is string problem)
                    logger.LogWarning("{Method} {Path} answered {Status} in {ElapsedMs:0.0} ms ({Images} images, {Bytes} bytes): {Problem}",
                        request.Method, request.Path.Value, context.Response.StatusCode, ms, images, request.ContentLength ?? 0, problem);
                else
                    logger.LogInformation("{Method} {Path} answered {Status} in {ElapsedMs:0.0} ms ({Images} images, {Bytes} bytes)",
                        request.Method, request.Path.Value, context.Response.StatusCode, ms, images, request.ContentLength ?? 0);
            }
        });
}
