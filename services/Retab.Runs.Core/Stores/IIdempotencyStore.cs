namespace Retab.Runs.Core.Stores;

/// <summary>The first response to a POST with an <c>Idempotency-Key</c>, replayed for 24 h.</summary>
public sealed record IdempotencyRecord(
    string OrganizationId,
    string Key,
    string RequestFingerprint,
    int StatusCode,
    string? Location,
    string Body,
    DateTimeOffset CreatedAt);

public interface IIdempotencyStore
{
    Task<IdempotencyRecord?> GetAsync(string organizationId, string key, CancellationToken cancellationToken = default);

    /// <summary>Stores the record unless one exists for the key; false when another request got there first.</summary>
    Task<bool> TryInsertAsync(IdempotencyRecord record, CancellationToken cancellationToken = default);
}
