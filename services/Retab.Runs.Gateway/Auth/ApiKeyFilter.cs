using Retab.Runs.Core.Organizations;
using Retab.Runs.Core.Stores;
using Retab.Runs.Gateway.Http;

namespace Retab.Runs.Gateway.Auth;

/// <summary>
/// Resolves the caller's organization from <c>Api-Key: &lt;key&gt;</c> or <c>Authorization: Bearer &lt;key&gt;</c>
/// (what Retab's Python SDK sends); anything else is a 401.
/// </summary>
public sealed class ApiKeyFilter(IApiKeyStore keys) : IEndpointFilter
{
    private const string OrganizationItem = "retab-runs.organization";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var presented = PresentedKey(http.Request);
        if (presented is null)
            return ApiErrors.Unauthorized("Send your API key in the 'Api-Key' header or as 'Authorization: Bearer <key>'.");
        var key = await keys.FindByHashAsync(ApiKey.Hash(presented), http.RequestAborted);
        if (key is null)
            return ApiErrors.Unauthorized("The API key is not valid.");
        http.Items[OrganizationItem] = key.OrganizationId;
        return await next(context);
    }

    public static string OrganizationOf(HttpContext http) =>
        http.Items[OrganizationItem] as string ?? throw new InvalidOperationException("The endpoint is not behind ApiKeyFilter.");

    /// <summary>The key the request presents, whether or not it is valid.</summary>
    public static string? PresentedKey(HttpRequest request)
    {
        if (request.Headers.TryGetValue("Api-Key", out var apiKey) && !string.IsNullOrWhiteSpace(apiKey))
            return apiKey.ToString().Trim();
        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && authorization.Length > 7
            ? authorization[7..].Trim()
            : null;
    }
}
