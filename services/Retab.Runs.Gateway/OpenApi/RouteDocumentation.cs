namespace Retab.Runs.Gateway.OpenApi;

/// <summary>
/// What a route declares about itself for the OpenAPI document, next to its <c>Map…</c> call. The handlers read their
/// bodies and queries by hand (all errors at once, FastAPI style), so nothing here changes how a request is served.
/// </summary>
public static class RouteDocumentation
{
    public const string Json = "application/json";

    /// <summary>The JSON body the handler reads, described by <typeparamref name="TBody"/> (a record of <c>OpenApi/Bodies</c>).</summary>
    public static RouteHandlerBuilder AcceptsJson<TBody>(this RouteHandlerBuilder route, bool optional = false) where TBody : notnull =>
        route.Accepts<TBody>(optional, Json);

    /// <summary>A <c>{"detail": {"code", "message"}}</c> answer with one of <paramref name="codes"/>.</summary>
    public static RouteHandlerBuilder ProducesError(this RouteHandlerBuilder route, int status, params string[] codes) =>
        route.WithMetadata(new ErrorResponse(status, ErrorShape.Detail, codes));

    /// <summary>A FastAPI 422 naming every invalid query parameter (or body field).</summary>
    public static RouteHandlerBuilder ProducesValidationError(this RouteHandlerBuilder route) =>
        route.WithMetadata(new ErrorResponse(StatusCodes.Status422UnprocessableEntity, ErrorShape.Validation, []));

    /// <summary>A file's bytes, served with its own content type: one of those an upload accepts.</summary>
    public static RouteHandlerBuilder ProducesFileContent(this RouteHandlerBuilder route) =>
        route.Produces<Stream>(StatusCodes.Status200OK, SchemaValues.FileContentTypes[0], [.. SchemaValues.FileContentTypes.Skip(1)]);

    /// <summary>The query parameters the handler reads.</summary>
    public static RouteHandlerBuilder WithQuery(this RouteHandlerBuilder route, params IEnumerable<QueryParameter> parameters) =>
        route.WithMetadata([.. parameters]);
}
