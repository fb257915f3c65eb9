using Retab.Runs.Core.Common;
using Retab.Runs.Core.Results;

namespace Retab.Runs.Gateway.Streams;

/// <summary>
/// Where a client is in a run's stream of <c>result</c> events: every result whose id sorts at or below
/// <see cref="SentThrough"/> has been sent. It is each event's <c>id</c>, so a client that reconnects with
/// <c>Last-Event-ID</c> gets only what it may have missed. Result ids of a run sort by test, and tests mostly end in the
/// order they were sent, so the bound follows the run closely; results that ended out of order, above it, may be sent
/// again after a reconnect (clients dedupe them by id).
/// </summary>
public sealed record RunEventCursor(string? SentThrough)
{
    /// <summary>The id of events sent before any result: nothing acknowledged yet.</summary>
    public const string StartText = "start";

    public static readonly RunEventCursor Start = new((string?)null);

    public string Text => SentThrough ?? StartText;

    /// <summary>The cursor a <c>Last-Event-ID</c> names for this run, or null when it names none this stream sent.</summary>
    public static RunEventCursor? Parse(string? lastEventId, string runId)
    {
        if (string.IsNullOrEmpty(lastEventId) || lastEventId == StartText)
            return Start;
        var prefix = ResultSlots.IdPrefix(runId);
        return ResourceIds.HasPrefix(runId, ResourceIds.Run)
            && lastEventId.Length > prefix.Length
            && lastEventId.StartsWith(prefix, StringComparison.Ordinal)
            && lastEventId.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')
                ? new RunEventCursor(lastEventId)
                : null;
    }
}
