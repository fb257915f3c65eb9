namespace Retab.Runs.Core.Webhooks;

/// <summary>
/// A subscription of one organization to run events, sent to <see cref="Url"/>. The secret is stored as given: the
/// sender needs its bytes to sign every delivery (unlike an API key, which is only ever compared), and only the create
/// answer shows it.
/// </summary>
public sealed record Webhook(
    string Id,
    string OrganizationId,
    string Url,
    IReadOnlyList<string> Events,
    string Secret,
    DateTimeOffset CreatedAt)
{
    public bool Subscribes(string eventType) => Events.Contains(eventType, StringComparer.Ordinal);
}
