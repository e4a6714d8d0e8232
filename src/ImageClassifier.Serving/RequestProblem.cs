using Microsoft.AspNetCore.Http;

namespace ImageClassifier.Serving;

/// <summary>
/// A request the server refuses, with the status and a message that says what was wrong and what to do:
/// answered as RFC 9457 problem JSON ({"title", "status", "detail"}), never a stack trace.
/// </summary>
public sealed class RequestProblem(int status, string title, string detail) : Exception(detail)
{
    public int Status { get; } = status;
    public string Title { get; } = title;

    public static RequestProblem BadRequest(string detail) => new(StatusCodes.Status400BadRequest, "Bad request", detail);
    public static RequestProblem TooLarge(string detail) => new(StatusCodes.Status413PayloadTooLarge, "Request too large", detail);
    public static RequestProblem NotAnImage(string detail) => new(StatusCodes.Status415UnsupportedMediaType, "Not an image", detail);
    public static RequestProblem Unreadable(string detail) => new(StatusCodes.Status422UnprocessableEntity, "Image not accepted", detail);
    public static RequestProblem Busy(string detail) => new(StatusCodes.Status503ServiceUnavailable, "Server busy", detail);

    public IResult ToResult(HttpContext context)
    {
        RequestLogging.NoteProblem(context, Message);
        return Results.Problem(Message, statusCode: Status, title: Title);
    }
}
