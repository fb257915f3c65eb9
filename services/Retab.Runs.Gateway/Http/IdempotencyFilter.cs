using System.Collections.Concurrent;
using System.Text;
using Retab.Runs.Core.Common;
using Retab.Runs.Core.Stores;
using Retab.Runs.Gateway.Auth;

namespace Retab.Runs.Gateway.Http;

/// <summary>
/// <c>Idempotency-Key</c> on POSTs (DESIGN §3.1): the same key with the same body within 24 h replays the first
/// response (no second run); the same key with another body is a 409. Requests with one key are serialised in
/// this process so a double-click cannot slip two runs in between the check and the store.
/// </summary>
public sealed class IdempotencyFilter(IIdempotencyStore store, TimeProvider time) : IEndpointFilter
{
    private const string Header = "Idempotency-Key";
    private static readonly TimeSpan Retention = TimeSpan.FromHours(24);
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> KeyLocks = new();

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var key = http.Request.Headers[Header].ToString();
        if (!HttpMethods.IsPost(http.Request.Method) || string.IsNullOrWhiteSpace(key))
            return await next(context);
        if (key.Length > 255)
            return ApiErrors.Error(StatusCodes.Status400BadRequest, "idempotency_key_invalid", "Idempotency-Key must be at most 255 characters.");

        var organizationId = ApiKeyFilter.OrganizationOf(http);
        http.Request.EnableBuffering();
        var body = await new StreamReader(http.Request.Body, leaveOpen: true).ReadToEndAsync(http.RequestAborted);
        http.Request.Body.Position = 0;
        var fingerprint = CanonicalJson.FingerprintOf(http.Request.Method, http.Request.Path, body);

        var keyLock = KeyLocks.GetOrAdd($"{organizationId}|{key}", _ => new SemaphoreSlim(1, 1));
        await keyLock.WaitAsync(http.RequestAborted);
        try
        {
            var previous = await store.GetAsync(organizationId, key, http.RequestAborted);
            if (previous is not null && previous.CreatedAt > time.GetUtcNow() - Retention)
            {
                if (previous.RequestFingerprint != fingerprint)
                    return ApiErrors.Conflict("idempotency_key_reused", "This Idempotency-Key was used with a different request in the last 24 hours.");
                if (previous.Location is not null)
                    http.Response.Headers.Location = previous.Location;
                http.Response.Headers["Idempotent-Replayed"] = "true";
                return Results.Content(previous.Body, "application/json", Encoding.UTF8, previous.StatusCode);
            }

            // Execute the handler's result into a buffer so the exact bytes can be stored and replayed.
            var result = await next(context);
            if (result is not IResult executable)
                return result;
            var original = http.Response.Body;
            using var buffer = new MemoryStream();
            http.Response.Body = buffer;
            try
            {
                await executable.ExecuteAsync(http);
            }
            finally
            {
                http.Response.Body = original;
            }
            if (http.Response.StatusCode < 500)
            {
                await store.TryInsertAsync(new IdempotencyRecord(organizationId, key, fingerprint, http.Response.StatusCode,
                    http.Response.Headers.Location.ToString() is { Length: > 0 } location ? location : null,
                    Encoding.UTF8.GetString(buffer.ToArray()), time.GetUtcNow()), http.RequestAborted);
            }
            buffer.Position = 0;
            await buffer.CopyToAsync(original, http.RequestAborted);
            return Results.Empty;
        }
        finally
        {
            keyLock.Release();
        }
    }
}
