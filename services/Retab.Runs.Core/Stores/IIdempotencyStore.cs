namespace Retab.Runs.Core.Stores;

/// <summary>
/// The first response to a POST with an <c>Idempotency-Key</c>, replayed for 24 h. A record without a response yet
/// (<see cref="InProgress"/>) is the key's claim: written before the handler runs, so of two gateways that receive the
/// same key at once exactly one runs it.
/// </summary>
public sealed record IdempotencyRecord(
    string OrganizationId,
    string Key,
    string RequestFingerprint,
    int StatusCode,
    string? Location,
    string Body,
    DateTimeOffset CreatedAt)
{
    public bool InProgress => StatusCode == 0;

    public static IdempotencyRecord Claim(string organizationId, string key, string requestFingerprint, DateTimeOffset at) =>
        new(organizationId, key, requestFingerprint, 0, null, "", at);
}

public interface IIdempotencyStore
{
    Task<IdempotencyRecord?> GetAsync(string organizationId, string key, CancellationToken cancellationToken = default);

    /// <summary>Stores the record (a claim, usually) unless one binds the key; false when another request got there first.</summary>
    Task<bool> TryInsertAsync(IdempotencyRecord record, CancellationToken cancellationToken = default);

    /// <summary>Replaces the key's claim with the response; no-op when the key holds no claim.</summary>
    Task CompleteAsync(IdempotencyRecord record, CancellationToken cancellationToken = default);

    /// <summary>Deletes the key's claim (the request failed and may be retried); a completed record stays.</summary>
    Task ReleaseAsync(string organizationId, string key, CancellationToken cancellationToken = default);
}
