using MongoDB.Bson;
using MongoDB.Driver;

namespace Retab.Runs.Storage.Mongo;

/// <summary>
/// Collection names, field names and indexes (DESIGN §6). Every field name is fixed here: user JSON never becomes a
/// BSON field name, it lives as JSON text in <see cref="Fields.Body"/>.
/// </summary>
public static class MongoSchema
{
    public const string Workflows = "workflows";
    public const string Tests = "tests";
    public const string Runs = "test_runs";
    public const string Results = "test_results";
    public const string ApiKeys = "api_keys";
    public const string Idempotency = "idempotency";
    public const string Files = "files";
    public const string Webhooks = "webhooks";
    public const string WebhookDeliveries = "webhook_deliveries";

    /// <summary>The GridFS bucket holding file bytes and page texts (<c>file_content.files</c> / <c>file_content.chunks</c>).</summary>
    public const string FileContentBucket = "file_content";

    public static class Fields
    {
        public const string Id = "_id";
        public const string Body = "body";
        public const string OrganizationId = "organization_id";
        public const string WorkflowId = "workflow_id";
        public const string TargetBlockId = "target_block_id";
        public const string TestId = "test_id";
        public const string RunId = "run_id";
        public const string Status = "status";
        public const string Verdict = "verdict";
        public const string TriggerType = "trigger_type";
        public const string CreatedAt = "created_at";
        public const string StartedAt = "started_at";
        public const string CompletedAt = "completed_at";
        public const string LastProgressAt = "last_progress_at";
        public const string StartPublished = "start_published";
        public const string CompletionPublished = "completion_published";
        public const string TotalTests = "total_tests";
        public const string Counts = "counts";
        public const string Error = "error";
        public const string CancelReason = "cancel_reason";

        /// <summary>A run's inputs fingerprint, set when the orchestrator queues it (its body, written pending, has none yet).</summary>
        public const string InputsFingerprint = "inputs_fingerprint";

        /// <summary>A run's scope as one string (<c>RunScopeSpec.Key</c>): a run's previous run has the same.</summary>
        public const string ScopeKey = "scope_key";

        /// <summary>The earlier run a rerun runs tests of again.</summary>
        public const string RerunOf = "rerun_of";

        /// <summary>Set on a completed run once compared with its previous run: that run's id, and what changed.</summary>
        public const string BaselineRunId = "baseline_run_id";
        public const string Regressions = "regressions";
        public const string Fixes = "fixes";
        public const string DraftNumber = "draft_number";
        public const string TestsChangedAt = "tests_changed_at";
        public const string Attempt = "attempt";
        public const string Deadline = "deadline";

        /// <summary>Revision of a result slot, bumped by every write: the guard that keeps a computed count delta exact.</summary>
        public const string Revision = "rev";

        /// <summary>Tokens of the last slot-event writes that landed on a slot (to tell, after a bulk write, which of ours did).</summary>
        public const string Applied = "applied";

        /// <summary>
        /// Set on a run's error slots when the run ends: its run is no longer active for them, so a worker's late result no
        /// longer replaces their <c>worker_lost</c>. Absent while the run is active.
        /// </summary>
        public const string Sealed = "sealed";

        /// <summary>
        /// A result's <see cref="Core.Flakiness.FlakyWindowKey"/> fingerprint, set when the slot is planned and never
        /// changed: the results a test's flakiness compares. Results stored before it existed have none and are not compared.
        /// </summary>
        public const string FlakyWindow = "flaky_window";

        public const string Key = "key";

        /// <summary>SHA-256 of an API key's secret (the secret itself is never stored).</summary>
        public const string KeyHash = "key_hash";
        public const string ExpiresAt = "expires_at";
        public const string InProgress = "in_progress";

        public const string Filename = "filename";
        public const string DeclaredContentType = "declared_content_type";
        public const string MimeType = "mime_type";
        public const string SizeBytes = "size_bytes";
        public const string Sha256 = "sha256";
        public const string PageCount = "page_count";
        public const string UpdatedAt = "updated_at";
        public const string UploadExpiresAt = "upload_expires_at";

        /// <summary>GridFS id of a file's bytes; replaced while the upload is pending.</summary>
        public const string ContentId = "content_id";

        /// <summary>GridFS id of a complete file's page texts (a JSON array): page texts may exceed a document's 16 MB.</summary>
        public const string PagesId = "pages_id";

        public const string WebhookId = "webhook_id";

        /// <summary>A delivery's run id + webhook id + event type, unique: <c>TestRunCompleted</c> arrives at least once.</summary>
        public const string DeliveryKey = "delivery_key";

        /// <summary>When a pending delivery is due (or its sender's claim ends); null once it is settled.</summary>
        public const string NextAttemptAt = "next_attempt_at";
        public const string Attempts = "attempts";
    }

    /// <summary>The keys of the <see cref="Fields.Counts"/> sub-document of a run.</summary>
    public static class CountFields
    {
        public const string Pending = "pending";
        public const string Queued = "queued";
        public const string Running = "running";
        public const string Completed = "completed";
        public const string Error = "error";
        public const string Cancelled = "cancelled";
        public const string Passed = "passed";
        public const string Failed = "failed";
        public const string Blocked = "blocked";

        public static readonly IReadOnlyList<string> All = [Pending, Queued, Running, Completed, Error, Cancelled, Passed, Failed, Blocked];
    }

    /// <summary>How many slot-event write tokens a slot remembers.</summary>
    public const int AppliedHistory = 16;

    private static CreateIndexModel<BsonDocument> Index(string name, BsonDocument keys, bool unique = false) =>
        new(keys, new CreateIndexOptions { Name = name, Unique = unique });

    /// <summary>Every index, per collection. Cursor pagination walks <c>_id</c> (ids sort by creation time) after equality filters.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<CreateIndexModel<BsonDocument>>> Indexes(TimeSpan? idempotencyRetention) =>
        new Dictionary<string, IReadOnlyList<CreateIndexModel<BsonDocument>>>
        {
            [Workflows] =
            [
                Index("organization_id_id", new BsonDocument { { Fields.OrganizationId, 1 }, { Fields.Id, 1 } }),
            ],
            [Tests] =
            [
                Index("organization_id_workflow_id_id", new BsonDocument { { Fields.OrganizationId, 1 }, { Fields.WorkflowId, 1 }, { Fields.Id, 1 } }),
                Index("organization_id_workflow_id_target_block_id_id",
                    new BsonDocument { { Fields.OrganizationId, 1 }, { Fields.WorkflowId, 1 }, { Fields.TargetBlockId, 1 }, { Fields.Id, 1 } }),
            ],
            [Runs] =
            [
                Index("organization_id_workflow_id_created_at", new BsonDocument { { Fields.OrganizationId, 1 }, { Fields.WorkflowId, 1 }, { Fields.CreatedAt, 1 } }),
                Index("organization_id_id", new BsonDocument { { Fields.OrganizationId, 1 }, { Fields.Id, 1 } }),
                Index("organization_id_workflow_id_id", new BsonDocument { { Fields.OrganizationId, 1 }, { Fields.WorkflowId, 1 }, { Fields.Id, 1 } }),
                Index("status_last_progress_at", new BsonDocument { { Fields.Status, 1 }, { Fields.LastProgressAt, 1 } }),
                Index("completion_published_status", new BsonDocument { { Fields.CompletionPublished, 1 }, { Fields.Status, 1 } }),
            ],
            [Results] =
            [
                Index("run_id_test_id", new BsonDocument { { Fields.RunId, 1 }, { Fields.TestId, 1 } }, unique: true),
                Index("run_id_status", new BsonDocument { { Fields.RunId, 1 }, { Fields.Status, 1 } }),
                Index("run_id_id", new BsonDocument { { Fields.RunId, 1 }, { Fields.Id, 1 } }),
                Index("test_id_status_completed_at_id", new BsonDocument { { Fields.TestId, 1 }, { Fields.Status, 1 }, { Fields.CompletedAt, -1 }, { Fields.Id, -1 } }),
                // A test's flaky window: equality on (test, key, status), then the newest first, so N results read N keys.
                Index("test_id_flaky_window_status_completed_at_id",
                    new BsonDocument { { Fields.TestId, 1 }, { Fields.FlakyWindow, 1 }, { Fields.Status, 1 }, { Fields.CompletedAt, -1 }, { Fields.Id, -1 } }),
            ],
            [ApiKeys] =
            [
                // Sparse: keys stored before key ids existed have no key_hash (their _id is the hash) and must not collide as nulls.
                new CreateIndexModel<BsonDocument>(new BsonDocument(Fields.KeyHash, 1), new CreateIndexOptions { Name = "key_hash", Unique = true, Sparse = true }),
                Index("organization_id_id", new BsonDocument { { Fields.OrganizationId, 1 }, { Fields.Id, 1 } }),
            ],
            [Files] =
            [
                Index("organization_id_status_id", new BsonDocument { { Fields.OrganizationId, 1 }, { Fields.Status, 1 }, { Fields.Id, 1 } }),
            ],
            [Webhooks] =
            [
                Index("organization_id_id", new BsonDocument { { Fields.OrganizationId, 1 }, { Fields.Id, 1 } }),
            ],
            [WebhookDeliveries] =
            [
                Index("delivery_key", new BsonDocument(Fields.DeliveryKey, 1), unique: true),
                Index("organization_id_webhook_id_id", new BsonDocument { { Fields.OrganizationId, 1 }, { Fields.WebhookId, 1 }, { Fields.Id, 1 } }),
                Index("status_next_attempt_at", new BsonDocument { { Fields.Status, 1 }, { Fields.NextAttemptAt, 1 } }),
            ],
            [Idempotency] = idempotencyRetention is { } retention && retention > TimeSpan.Zero
                ? [new CreateIndexModel<BsonDocument>(new BsonDocument(Fields.ExpiresAt, 1),
                    new CreateIndexOptions { Name = "expires_at_ttl", ExpireAfter = TimeSpan.Zero })]
                : [],
        };
}
