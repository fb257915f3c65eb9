using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;

namespace Retab.Runs.Gateway.OpenApi.Transformers;

/// <summary>
/// The errors an operation can answer: the ones its route declares, and the ones the gates in front of it add —
/// the key filters (401), the rate limiter (429), the idempotency filter on POSTs (400, 409) and the JSON body reader
/// (413, 422).
/// </summary>
internal static class EndpointErrors
{
    public static IEnumerable<ErrorResponse> Of(ApiDescription description, OpenApiOperation operation)
    {
        foreach (var declared in EndpointMetadata.All<ErrorResponse>(description))
            yield return declared;
        if (EndpointMetadata.Get<EndpointSecurity>(description) is { IsPublic: false })
            yield return new(StatusCodes.Status401Unauthorized, ErrorShape.Detail, ["unauthorized"]);
        if (EndpointMetadata.Get<EnableRateLimitingAttribute>(description) is not null)
            yield return new(StatusCodes.Status429TooManyRequests, ErrorShape.Detail, ["rate_limited"]);
        if (EndpointMetadata.Get<IdempotentPosts>(description) is not null && HttpMethods.IsPost(description.HttpMethod ?? ""))
        {
            yield return new(StatusCodes.Status400BadRequest, ErrorShape.Detail, ["idempotency_key_invalid"]);
            yield return new(StatusCodes.Status409Conflict, ErrorShape.Detail, ["idempotency_key_reused"]);
        }
        if (operation.RequestBody?.Content?.ContainsKey(RouteDocumentation.Json) == true)
        {
            yield return new(StatusCodes.Status413PayloadTooLarge, ErrorShape.Detail, ["request_too_large"]);
            yield return new(StatusCodes.Status422UnprocessableEntity, ErrorShape.Validation, []);
        }
    }
}
