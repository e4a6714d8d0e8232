using Microsoft.AspNetCore.Builder;
using Microsoft.OpenApi;

namespace ImageClassifier.Serving;

/// <summary>
/// Describes an endpoint's image body in the OpenAPI document: raw image bytes or multipart/form-data file parts.
/// Written as a transformer rather than with <c>Accepts</c>, whose content-type metadata would also make routing
/// refuse (415) a raw upload that says application/x-www-form-urlencoded, as curl --data-binary does: the server
/// goes by the bytes, not the header.
/// </summary>
public static class OpenApiImageBody
{
    static readonly string[] RawTypes = ["image/png", "image/jpeg", "image/bmp", "image/gif", "image/webp", "application/octet-stream"];

    public static TBuilder WithImageBody<TBuilder>(this TBuilder builder, string description) where TBuilder : IEndpointConventionBuilder =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            var content = RawTypes.ToDictionary(t => t, _ => new OpenApiMediaType { Schema = Binary() });
            content["multipart/form-data"] = new OpenApiMediaType
            {
                Schema = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Description = "One file part per image, under any field name.",
                    AdditionalProperties = Binary(),
                },
            };
            operation.RequestBody = new OpenApiRequestBody { Required = true, Description = description, Content = content };
            return Task.CompletedTask;
        });

    static OpenApiSchema Binary() => new() { Type = JsonSchemaType.String, Format = "binary" };
}
