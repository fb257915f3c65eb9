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
public sealed class IdempotencyFilter(IIdempotencyStore store, RequestBodies bodies, TimeProvider time, ILogger<IdempotencyFilter> logger) : IEndpointFilter
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
        var (body, tooLarge) = await BodyFingerprintAsync(http);
        if (body is null)
            return tooLarge;
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
                await RememberAsync(organizationId, key, fingerprint, http, buffer);
            buffer.Position = 0;
            await buffer.CopyToAsync(original, http.RequestAborted);
            return Results.Empty;
        }
        finally
        {
            keyLock.Release();
        }
    }

    /// <summary>
    /// A JSON body is read once, within <c>Limits:MaxRequestBytes</c>, and shared with the handler. A multipart upload
    /// is hashed as it streams into a buffer the file route reads again; that route enforces <c>Files:MaxBytes</c>.
    /// </summary>
    private async Task<(string? Body, IResult? Error)> BodyFingerprintAsync(HttpContext http)
    {
        if (!http.Request.HasFormContentType)
            return await bodies.ReadTextAsync(http);
        http.Request.EnableBuffering();
        var hash = await System.Security.Cryptography.SHA256.HashDataAsync(http.Request.Body, http.RequestAborted);
        http.Request.Body.Position = 0;
        return (Convert.ToHexStringLower(hash), null);
    }

    /// <summary>
    /// The action has happened by now: failing to remember it must not turn its answer into a 500 the client would
    /// retry. Nothing is written in that case, so the same key replays nothing; the failure is logged for the operator.
    /// </summary>
    private async Task RememberAsync(string organizationId, string key, string fingerprint, HttpContext http, MemoryStream response)
    {
        try
        {
            await store.TryInsertAsync(new IdempotencyRecord(organizationId, key, fingerprint, http.Response.StatusCode,
                http.Response.Headers.Location.ToString() is { Length: > 0 } location ? location : null,
                Encoding.UTF8.GetString(response.GetBuffer(), 0, (int)response.Length), time.GetUtcNow()), CancellationToken.None);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            logger.LogError(error, "The response to {Method} {Path} could not be kept for its Idempotency-Key", http.Request.Method, http.Request.Path);
        }
    }
}
