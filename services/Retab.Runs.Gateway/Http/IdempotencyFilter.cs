using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Retab.Runs.Core.Limits;
using Retab.Runs.Core.Common;
using Retab.Runs.Core.Stores;
using Retab.Runs.Gateway.Auth;

namespace Retab.Runs.Gateway.Http;

/// <summary>
/// <c>Idempotency-Key</c> on POSTs (DESIGN §3.1): the same key with the same request within 24 h replays the first
/// response (no second run); the same key with another request is a 409. "The same" is canonical JSON: key order and
/// whitespace do not make a request another one. The key is claimed in the store before the handler runs (as
/// eShop's request manager does), so of two requests with one key — in one gateway or in two — exactly one runs;
/// the other sees the claim and gets a 409 <c>idempotency_key_in_progress</c> to retry, or the replay once it is done.
/// </summary>
public sealed class IdempotencyFilter(IIdempotencyStore store, RequestBodies bodies, TimeProvider time, ILogger<IdempotencyFilter> logger) : IEndpointFilter
{
    private const string Header = "Idempotency-Key";
    private static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    /// <summary>A claim this old belongs to a request whose gateway died mid-way: it is released for the client's retry.</summary>
    private static readonly TimeSpan AbandonedClaim = TimeSpan.FromMinutes(5);

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

        var now = time.GetUtcNow();
        if (!await store.TryInsertAsync(IdempotencyRecord.Claim(organizationId, key, fingerprint, now), http.RequestAborted))
            return await AnswerFromRecordAsync(organizationId, key, fingerprint, http);

        var ran = false;
        try
        {
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
                ran = await CompleteAsync(organizationId, key, fingerprint, now, http, buffer);
            buffer.Position = 0;
            await buffer.CopyToAsync(original, http.RequestAborted);
            return Results.Empty;
        }
        finally
        {
            // A request that failed (or whose response could not be kept) leaves the key free for its retry.
            if (!ran)
                await ReleaseAsync(organizationId, key);
        }
    }

    private async Task<IResult> AnswerFromRecordAsync(string organizationId, string key, string fingerprint, HttpContext http)
    {
        var previous = await store.GetAsync(organizationId, key, http.RequestAborted);
        if (previous is null || previous.CreatedAt <= time.GetUtcNow() - Retention)
        {
            // Released or expired between our insert and this read: the client's retry will claim it.
            http.Response.Headers.RetryAfter = "1";
            return ApiErrors.Conflict("idempotency_key_in_progress", "A request with this Idempotency-Key was just being processed; retry it.");
        }
        if (previous.RequestFingerprint != fingerprint)
            return ApiErrors.Conflict("idempotency_key_reused", "This Idempotency-Key was used with a different request in the last 24 hours.");
        if (previous.InProgress)
        {
            if (previous.CreatedAt < time.GetUtcNow() - AbandonedClaim)
                await ReleaseAsync(organizationId, key);
            http.Response.Headers.RetryAfter = "1";
            return ApiErrors.Conflict("idempotency_key_in_progress", "A request with this Idempotency-Key is being processed; retry it to get its response.");
        }
        if (previous.Location is not null)
            http.Response.Headers.Location = previous.Location;
        http.Response.Headers["Idempotent-Replayed"] = "true";
        return Results.Content(previous.Body, "application/json", Encoding.UTF8, previous.StatusCode);
    }

    /// <summary>
    /// A JSON body is read once, within <c>Limits:MaxRequestBytes</c>, and shared with the handler. A multipart upload
    /// is hashed as it streams into a buffer the file route reads again; that route enforces <c>Files:MaxBytes</c>.
    /// </summary>
    private async Task<(string? Body, IResult? Error)> BodyFingerprintAsync(HttpContext http)
    {
        if (!http.Request.HasFormContentType)
        {
            var (text, error) = await bodies.ReadTextAsync(http);
            return (text is null ? null : Canonical(text), error);
        }
        http.Request.EnableBuffering();
        var hash = await System.Security.Cryptography.SHA256.HashDataAsync(http.Request.Body, http.RequestAborted);
        http.Request.Body.Position = 0;
        return (Convert.ToHexStringLower(hash), null);
    }

    /// <summary>Key order and whitespace are not part of a request; a body that is not JSON is compared as sent.</summary>
    private static string Canonical(string body)
    {
        try
        {
            return CanonicalJson.Serialize(JsonNode.Parse(body, documentOptions: new JsonDocumentOptions { MaxDepth = ServiceLimits.InternalJsonDepth }));
        }
        catch (Exception error) when (error is JsonException or InvalidOperationException)
        {
            return body;
        }
    }

    /// <summary>
    /// The action has happened by now: failing to remember it must not turn its answer into a 500 the client would
    /// retry. The claim is then released, so the same key replays nothing; the failure is logged for the operator.
    /// </summary>
    private async Task<bool> CompleteAsync(string organizationId, string key, string fingerprint, DateTimeOffset claimedAt, HttpContext http, MemoryStream response)
    {
        try
        {
            await store.CompleteAsync(new IdempotencyRecord(organizationId, key, fingerprint, http.Response.StatusCode,
                http.Response.Headers.Location.ToString() is { Length: > 0 } location ? location : null,
                Encoding.UTF8.GetString(response.GetBuffer(), 0, (int)response.Length), claimedAt), CancellationToken.None);
            return true;
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            logger.LogError(error, "The response to {Method} {Path} could not be kept for its Idempotency-Key", http.Request.Method, http.Request.Path);
            return false;
        }
    }

    private async Task ReleaseAsync(string organizationId, string key)
    {
        try
        {
            await store.ReleaseAsync(organizationId, key, CancellationToken.None);
        }
        catch (Exception error)
        {
            // The claim then expires with the record's 24 h; until then the key answers "in progress".
            logger.LogError(error, "The claim on an Idempotency-Key could not be released");
        }
    }
}
