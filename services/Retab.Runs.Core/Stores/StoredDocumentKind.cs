namespace Retab.Runs.Core.Stores;

/// <summary>What a stored document is, as <see cref="DocumentTooLargeException.Kind"/> names it (the same in every store).</summary>
public static class StoredDocumentKind
{
    public const string Workflow = "workflow";
    public const string Test = "test";
    public const string Run = "run";
    public const string Result = "result";
    public const string IdempotencyRecord = "idempotency_record";
    public const string File = "file";
    public const string ApiKey = "api_key";
    public const string Webhook = "webhook";
    public const string WebhookDelivery = "webhook_delivery";
}
