using System.Threading.Channels;

namespace Retab.Runs.Core.Common;

/// <summary>
/// Group commit: callers submit items and wait, and one loop commits whatever is waiting as one batch; everything
/// submitted while a commit is in progress goes into the next one. A lone item is committed at once, so there is no
/// batching window on a single item's latency, and under load a batch grows up to <paramref name="maxWeight"/>.
/// A caller's task completes only with the commit that holds its item, so nothing is acknowledged before it is durable.
/// The worker publishes its results this way, and the orchestrator's fan-in stores them this way.
/// </summary>
/// <param name="maxWeight">The most a batch holds, in the units of <paramref name="weightOf"/>; a batch always takes at least one item.</param>
public sealed class GroupCommit<TItem, TResult>(int maxWeight, Func<TItem, int> weightOf)
{
    private readonly Channel<Pending> _pending = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Completes with what the commit holding <paramref name="item"/> answered for it; throws if that commit failed it or the loop stopped first.</summary>
    public Task<TResult> SubmitAsync(TItem item, CancellationToken cancellationToken)
    {
        var pending = new Pending(item);
        if (!_pending.Writer.TryWrite(pending))
            throw new OperationCanceledException("Stopping: nothing more is committed, so the message will be redelivered.");
        return pending.Answer.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Commits until <paramref name="stoppingToken"/> stops it. <paramref name="commit"/> answers every item of its batch
    /// (<see cref="Pending.Complete"/> or <see cref="Pending.Fail"/>); whatever is still unanswered when the loop stops is
    /// cancelled, so its message is not acknowledged and the broker gives it to another consumer.
    /// </summary>
    public async Task RunAsync(Func<IReadOnlyList<Pending>, CancellationToken, Task> commit, CancellationToken stoppingToken)
    {
        var reader = _pending.Reader;
        var batch = new List<Pending>();
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                var weight = 0;
                while (weight < maxWeight && reader.TryRead(out var pending))
                {
                    batch.Add(pending);
                    weight += weightOf(pending.Item);
                }
                await commit(batch, stoppingToken);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            _pending.Writer.TryComplete();
            foreach (var pending in batch)
                pending.Answer.TrySetCanceled(stoppingToken);
            while (reader.TryRead(out var pending))
                pending.Answer.TrySetCanceled(stoppingToken);
        }
    }

    /// <summary>An item waiting for its commit, and the caller's answer.</summary>
    public sealed class Pending(TItem item)
    {
        public TItem Item { get; } = item;

        internal TaskCompletionSource<TResult> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Complete(TResult result) => Answer.TrySetResult(result);

        public void Fail(Exception error) => Answer.TrySetException(error);
    }
}
