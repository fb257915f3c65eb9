using System.Text.Json;
using Retab.Runs.Contracts;
using Retab.Runs.Core.Results;
using Retab.Runs.Messaging;

namespace Retab.Runs.Orchestrator.Consumers;

/// <summary>
/// Reads finished tests, one or a worker's batch, into slot events. An entry that cannot be read is unreadable, not
/// unlucky: the readable ones are folded first, then <see cref="ThrowIfAnyUnreadable"/> sends the message to the error
/// queue with no retries (stored entries are no-ops if it is ever replayed), and that entry's slot is left to the
/// sweeper (<c>worker_lost</c>).
/// </summary>
public sealed class FinishedResults
{
    private readonly List<string> _unreadable = [];

    private FinishedResults(List<SlotEvent> events) => Events = events;

    public IReadOnlyList<SlotEvent> Events { get; }

    public static FinishedResults Read(IReadOnlyCollection<WorkflowTestFinished> results)
    {
        var events = new List<SlotEvent>(results.Count);
        var read = new FinishedResults(events);
        foreach (var finished in results)
        {
            try
            {
                events.Add(ContractMapping.ToSlotEvent(finished));
            }
            catch (JsonException error)
            {
                read._unreadable.Add($"{finished.ResultId}: {error.Message}");
            }
        }
        return read;
    }

    /// <param name="messageType">The message the results came in, named in the error queue's fault.</param>
    public void ThrowIfAnyUnreadable(string messageType)
    {
        if (_unreadable.Count > 0)
            throw new InvalidMessageException($"{messageType} holds unreadable assertion results: {string.Join("; ", _unreadable)}");
    }
}
