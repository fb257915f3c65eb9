using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Retab.Runs.Gateway.Http;

namespace Retab.Runs.Gateway.Auth;

/// <summary>
/// The admin routes' gate: <c>Admin-Key: &lt;key&gt;</c> or <c>Authorization: Bearer &lt;key&gt;</c> must be
/// <c>Auth:AdminKey</c>; anything else is a 401. API keys are never looked up here, and the admin key is never
/// stored, so neither opens the other's routes.
/// </summary>
public sealed class AdminKeyFilter(IOptions<AuthOptions> options) : IEndpointFilter
{
    public const string Header = "Admin-Key";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var presented = KeyFrom(context.HttpContext.Request);
        if (presented is null)
            return ApiErrors.Unauthorized($"Send the admin key in the '{Header}' header or as 'Authorization: Bearer <key>'.");
        if (!IsAdminKey(presented, options.Value.AdminKey))
            return ApiErrors.Unauthorized("The admin key is not valid.");
        return await next(context);
    }

    // Digests of equal length compared in constant time: how long the comparison takes says nothing about the key.
    private static bool IsAdminKey(string presented, string? adminKey) =>
        !string.IsNullOrEmpty(adminKey) &&
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(adminKey)));

    private static string? KeyFrom(HttpRequest request)
    {
        if (request.Headers.TryGetValue(Header, out var adminKey) && !string.IsNullOrWhiteSpace(adminKey))
            return adminKey.ToString().Trim();
        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && authorization.Length > 7
            ? authorization[7..].Trim()
            : null;
    }
}
