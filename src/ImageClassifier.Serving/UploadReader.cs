using Microsoft.AspNetCore.Http;

namespace ImageClassifier.Serving;

/// <summary>
/// Reads the images of a request: multipart/form-data (every file part, any field name) or the raw body (one
/// image, any content type: what it is is decided by its bytes, not by its headers or name). Over-size bodies are
/// stopped by Kestrel's MaxRequestBodySize and FormOptions' multipart limit while they stream in, and answered 413.
/// </summary>
public static class UploadReader
{
    public const string RawName = "body";

    public static async Task<IReadOnlyList<Upload>> ReadAsync(HttpRequest request, ServerOptions options, CancellationToken cancel)
    {
        try
        {
            var uploads = IsMultipart(request) ? await ReadFormAsync(request, cancel) : [await ReadBodyAsync(request, cancel)];
            if (uploads.Count > options.MaxImagesPerRequest)
                throw RequestProblem.TooLarge($"{uploads.Count} images in one request; this server takes at most {options.MaxImagesPerRequest} (--max-images). Send them in several requests.");
            return uploads;
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw TooLarge(options);
        }
        catch (InvalidDataException e) when (e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase) && e.Message.Contains("exceeded", StringComparison.OrdinalIgnoreCase))
        {
            throw TooLarge(options); // the multipart reader's "Multipart body length limit N exceeded"
        }
        catch (InvalidDataException e)
        {
            throw RequestProblem.BadRequest($"the multipart/form-data body cannot be read: {e.Message}");
        }
    }

    static RequestProblem TooLarge(ServerOptions options) =>
        RequestProblem.TooLarge($"the request body is larger than this server accepts ({Mebibytes(options.MaxRequestBytes)}, --max-request-mb). Send smaller or fewer images.");

    public static string Mebibytes(long bytes) => bytes % (1 << 20) == 0 ? $"{bytes >> 20} MiB" : $"{bytes / 1048576.0:0.##} MiB";

    // Any other content type (curl --data-binary says application/x-www-form-urlencoded) is a raw image body.
    static bool IsMultipart(HttpRequest request) =>
        request.ContentType?.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) == true;

    static async Task<IReadOnlyList<Upload>> ReadFormAsync(HttpRequest request, CancellationToken cancel)
    {
        var form = await request.ReadFormAsync(cancel);
        if (form.Files.Count == 0)
            throw RequestProblem.BadRequest("the multipart/form-data body has no file parts: send each image as a file field (any field name).");
        var uploads = new List<Upload>(form.Files.Count);
        foreach (var file in form.Files)
        {
            using var stream = file.OpenReadStream();
            var data = new byte[file.Length];
            await stream.ReadExactlyAsync(data, cancel);
            uploads.Add(new Upload(string.IsNullOrWhiteSpace(file.FileName) ? file.Name : Path.GetFileName(file.FileName), data));
        }
        return uploads;
    }

    static async Task<Upload> ReadBodyAsync(HttpRequest request, CancellationToken cancel)
    {
        using var buffer = request.ContentLength is long length and <= int.MaxValue ? new MemoryStream((int)length) : new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancel);
        if (buffer.Length == 0)
            throw RequestProblem.BadRequest("the request has no body: send an image as the raw body, or images as multipart/form-data file fields.");
        return new Upload(RawName, buffer.ToArray());
    }
}
