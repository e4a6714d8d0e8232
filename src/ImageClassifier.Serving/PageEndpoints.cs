using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ImageClassifier.Serving;

/// <summary>GET / : a small page to drop or pick an image and see its top-5 classes and Grad-CAM overlay; its files are embedded in this assembly.</summary>
public static class PageEndpoints
{
    static readonly (string Route, string Resource, string ContentType)[] Files =
    [
        ("/", "page/index.html", "text/html; charset=utf-8"),
        ("/page.js", "page/page.js", "text/javascript; charset=utf-8"),
        ("/page.css", "page/page.css", "text/css; charset=utf-8"),
    ];

    public static void MapPage(this IEndpointRouteBuilder app)
    {
        foreach (var (route, resource, contentType) in Files)
        {
            byte[] content = Read(resource);
            app.MapGet(route, () => Results.Bytes(content, contentType)).ExcludeFromDescription();
        }
    }

    static byte[] Read(string resource)
    {
        using var stream = typeof(PageEndpoints).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The page resource {resource} is missing from the assembly (a build problem).");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
