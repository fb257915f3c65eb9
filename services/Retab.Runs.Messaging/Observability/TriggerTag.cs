namespace Retab.Runs.Messaging.Observability;

/// <summary>
/// A run's trigger as a metric tag. Any bus publisher may name its own trigger, so a name that does not look like a
/// short token is reported as <c>other</c>: one series per odd string would grow the metric store without end.
/// </summary>
public static class TriggerTag
{
    public const string Other = "other";
    private const int MaxLength = 32;

    public static string Of(string? trigger) =>
        trigger is { Length: > 0 and <= MaxLength } && trigger.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-' or '.')
            ? trigger
            : Other;
}
