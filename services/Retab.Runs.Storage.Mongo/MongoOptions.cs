namespace Retab.Runs.Storage.Mongo;

/// <summary>Where the production store lives (section <c>Storage:Mongo</c>).</summary>
public sealed class MongoOptions
{
    public const string Section = "Storage:Mongo";

    /// <summary>
    /// A standard MongoDB connection string. Give the replica set name (<c>?replicaSet=rs0</c>) so the driver follows
    /// the primary; the store itself needs no transactions, so a standalone <c>mongod</c> works too.
    /// </summary>
    public string ConnectionString { get; set; } = "mongodb://127.0.0.1:27017";

    /// <summary>The database holding the six collections of DESIGN §6.</summary>
    public string Database { get; set; } = "retab_runs";

    /// <summary>
    /// How long after its creation an <c>Idempotency-Key</c> record is deleted by MongoDB's TTL monitor (it binds for
    /// 24 h; keep it longer). <c>null</c> or zero keeps records forever (no TTL index is created).
    /// </summary>
    public TimeSpan? IdempotencyRetention { get; set; } = TimeSpan.FromHours(48);

    /// <summary>How long an <c>Idempotency-Key</c> binds (DESIGN §3.1): a shorter retention would delete records that still do.</summary>
    public static readonly TimeSpan IdempotencyBinding = TimeSpan.FromHours(24);

    /// <summary>Throws when a setting cannot be honoured, so a bad value fails the start, not a request.</summary>
    public void Validate()
    {
        if (IdempotencyRetention is { } retention && retention > TimeSpan.Zero && retention < IdempotencyBinding)
            throw new ArgumentOutOfRangeException(nameof(IdempotencyRetention), retention,
                $"{Section}:{nameof(IdempotencyRetention)} must be at least {IdempotencyBinding:c} (an Idempotency-Key binds that long), or empty to keep records forever.");
    }
}
