using Microsoft.Extensions.Logging;
using Retab.Runs.Core.Common;
using Retab.Runs.Core.Results;
using Retab.Runs.Core.Runs;
using Retab.Runs.Core.Stores;
using Submission = Retab.Runs.Core.Common.GroupCommit<
    System.Collections.Generic.IReadOnlyList<Retab.Runs.Core.Results.SlotEvent>,
    System.Collections.Generic.IReadOnlyList<Retab.Runs.Core.Stores.RunProgress>>.Pending;

namespace Retab.Runs.Orchestrator;

/// <summary>How a batch is written so that no event fails another's write (DESIGN §7).</summary>
public sealed partial class ResultFolding
{
    /// <summary>
    /// Writes a batch as one store write, the common case. If that fails, the batch is narrowed down by halves
    /// (<see cref="IsolateAsync"/>) so that every submission the store can take is written and acknowledged, and only one
    /// it refuses on its own fails. A result refused as too large never fails anything: it is recorded as an error result
    /// in whatever write holds it (<see cref="TryWriteAsync"/>).
    /// </summary>
    private async Task WriteAsync(IReadOnlyList<Submission> batch, CancellationToken cancellationToken)
    {
        if (await TryWriteAsync(batch, cancellationToken) is { } failure)
            await IsolateAsync(batch, failure, cancellationToken);
    }

    /// <summary>
    /// A part whose write failed: each half is written on its own, and a half that fails is narrowed down again, until a
    /// lone submission fails with its own exception (its consumer retries it, then dead-letters it). When both halves fail,
    /// the fault is the store's rather than one submission's (an outage, a lost connection): the part fails whole and is
    /// retried, instead of being written one submission at a time into a store that is down, each write waiting out its
    /// own timeout.
    /// </summary>
    private async Task IsolateAsync(IReadOnlyList<Submission> part, Exception failure, CancellationToken cancellationToken)
    {
        if (part.Count == 1 || cancellationToken.IsCancellationRequested)
        {
            Fail(part, failure);
            return;
        }

        var middle = part.Count / 2;
        IReadOnlyList<Submission> first = part.Take(middle).ToList(), second = part.Skip(middle).ToList();
        var firstFailure = await TryWriteAsync(first, cancellationToken);
        var secondFailure = await TryWriteAsync(second, cancellationToken);
        if (firstFailure is not null && secondFailure is not null)
        {
            Fail(first, firstFailure);
            Fail(second, secondFailure);
            return;
        }
        if (firstFailure is not null)
            await IsolateAsync(first, firstFailure, cancellationToken);
        if (secondFailure is not null)
            await IsolateAsync(second, secondFailure, cancellationToken);
    }

    /// <summary>
    /// Writes the part's events as one store write and answers its callers; returns the failure instead if it cannot.
    /// When the store refuses a result of the part as too large (it writes nothing then), that result's finish is replaced
    /// by an error finish saying why and the part is written again: once per refused result, so it always ends.
    /// </summary>
    private async Task<Exception?> TryWriteAsync(IReadOnlyList<Submission> part, CancellationToken cancellationToken)
    {
        var events = SlotEventCoalescing.Coalesce(part.SelectMany(s => s.Item).ToList());
        var refused = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            try
            {
                var written = await runs.ApplySlotEventsAsync(events, Clock.Now(time), cancellationToken);
                // Recorded by the write, not by the callers: the slots it ended are the ones it moved, whatever was redelivered.
                signals.FanInBatch(events.Count);
                signals.TestsEnded(written);
                Acknowledge(part, written);
                return null;
            }
            catch (DocumentTooLargeException tooLarge) when (tooLarge.Kind == StoredDocumentKind.Result && !refused.Contains(tooLarge.DocumentId))
            {
                refused.Add(tooLarge.DocumentId);
                if (RecordedAsTooLarge(events, tooLarge) is not { } replaced)
                    return tooLarge;
                logger.LogWarning("Result {ResultId} is {SizeBytes} bytes, over the {LimitBytes}-byte limit of a stored document; it is recorded as {Code}",
                    tooLarge.DocumentId, tooLarge.SizeBytes, tooLarge.LimitBytes, RunErrorCodes.ResultTooLarge);
                events = replaced;
            }
            catch (Exception error)
            {
                return error;
            }
        }
    }

    /// <summary>
    /// The events, with every finish of the refused result turned into an error finish that gives the size and the limit
    /// (the test ran, so this is not <c>worker_lost</c>); null when no finish of the events names that result.
    /// </summary>
    private static List<SlotEvent>? RecordedAsTooLarge(IReadOnlyList<SlotEvent> events, DocumentTooLargeException tooLarge)
    {
        var error = new SlotError(RunErrorCodes.ResultTooLarge,
            $"The test's result is {tooLarge.SizeBytes} bytes once stored, over the limit of {tooLarge.LimitBytes} bytes for one stored " +
            "document (Limits: MaxStoredDocumentBytes), so its outputs and assertion result were not kept.");
        var replacedAny = false;
        var replaced = events.Select(slotEvent =>
        {
            if (slotEvent is not SlotFinished finish || finish.ResultId != tooLarge.DocumentId)
                return slotEvent;
            replacedAny = true;
            return finish.FailedInstead(error);
        }).ToList();
        return replacedAny ? replaced : null;
    }
}
