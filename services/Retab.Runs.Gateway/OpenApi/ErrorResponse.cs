namespace Retab.Runs.Gateway.OpenApi;

/// <summary>The two error bodies of DESIGN §3.1 (<see cref="Http.ApiErrors"/>).</summary>
public enum ErrorShape
{
    /// <summary><c>{"detail": {"code", "message"}}</c>.</summary>
    Detail,

    /// <summary>FastAPI's <c>{"detail": [{"loc", "msg", "type"}]}</c>, every problem at once.</summary>
    Validation,
}

/// <summary>
/// Endpoint metadata: the route can answer <paramref name="Status"/> with a body of <paramref name="Shape"/>, for the
/// given <c>detail.code</c> values. Read by <see cref="Transformers.ErrorResponsesTransformer"/>, which writes the
/// document's responses; two shapes on one status become a <c>oneOf</c>.
/// </summary>
public sealed record ErrorResponse(int Status, ErrorShape Shape, IReadOnlyList<string> Codes);
