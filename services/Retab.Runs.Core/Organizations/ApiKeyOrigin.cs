namespace Retab.Runs.Core.Organizations;

/// <summary>Where a stored API key came from; it decides what may remove the key.</summary>
public enum ApiKeyOrigin
{
    /// <summary>
    /// Stored before keys recorded their origin (the zero value, so an old stored key reads as this). Only
    /// configuration and the first start wrote keys then; the next start classifies each one as either.
    /// </summary>
    Legacy = 0,

    /// <summary>Named in <c>Auth:ApiKeys</c>: configuration is its source of truth, a start without it revokes it.</summary>
    Configured,

    /// <summary>The first-start key of a store with no keys, saved to the bootstrap key file.</summary>
    Bootstrap,

    /// <summary>Created through the admin routes; only the admin routes revoke it.</summary>
    Admin,
}
