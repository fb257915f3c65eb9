using Retab.Runs.Core.Common;

namespace Retab.Runs.Core.Tests.Common;

public sealed class GroupCommitTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>Commits that record their batches and answer each item with its batch's number; a gate holds each commit until released.</summary>
    private sealed class Recorder
    {
        public List<IReadOnlyList<int>> Batches { get; } = [];
        public SemaphoreSlim Gate { get; } = new(0);
        public SemaphoreSlim Entered { get; } = new(0);

        public async Task CommitAsync(IReadOnlyList<GroupCommit<int, int>.Pending> batch, CancellationToken cancellationToken)
        {
            lock (Batches)
                Batches.Add(batch.Select(p => p.Item).ToList());
            Entered.Release();
            await Gate.WaitAsync(cancellationToken);
            foreach (var pending in batch)
                pending.Complete(Batches.Count);
        }
    }

    [Fact]
    public async Task A_lone_item_is_committed_at_once_and_items_arriving_during_a_commit_share_the_next()
    {
        var commits = new GroupCommit<int, int>(maxWeight: 100, _ => 1);
        var recorder = new Recorder();
        using var stop = new CancellationTokenSource();
        var loop = commits.RunAsync(recorder.CommitAsync, stop.Token);

        var lone = commits.SubmitAsync(1, CancellationToken.None);
        Assert.True(await recorder.Entered.WaitAsync(Patience));
        var during = Enumerable.Range(2, 5).Select(i => commits.SubmitAsync(i, CancellationToken.None)).ToList();
        recorder.Gate.Release();
        Assert.Equal(1, await lone.WaitAsync(Patience));

        Assert.True(await recorder.Entered.WaitAsync(Patience));
        recorder.Gate.Release();
        Assert.All(await Task.WhenAll(during).WaitAsync(Patience), batch => Assert.Equal(2, batch));
        Assert.Equal([[1], [2, 3, 4, 5, 6]], recorder.Batches);

        stop.Cancel();
        await loop.WaitAsync(Patience);
    }

    [Fact]
    public async Task A_batch_stops_taking_items_once_it_reaches_the_weight()
    {
        var commits = new GroupCommit<int, int>(maxWeight: 5, item => item);
        var recorder = new Recorder();
        using var stop = new CancellationTokenSource();
        var first = commits.SubmitAsync(1, CancellationToken.None);
        var loop = commits.RunAsync(recorder.CommitAsync, stop.Token);
        Assert.True(await recorder.Entered.WaitAsync(Patience));
        var waiting = new[] { 3, 3, 2, 4 }.Select(i => commits.SubmitAsync(i, CancellationToken.None)).ToList();
        recorder.Gate.Release(10);
        await Task.WhenAll(waiting.Append(first)).WaitAsync(Patience);

        // 3 + 3 reaches 5, so the batch closes; 2 + 4 the same.
        Assert.Equal([[1], [3, 3], [2, 4]], recorder.Batches);
        stop.Cancel();
        await loop.WaitAsync(Patience);
    }

    [Fact]
    public async Task A_failed_commit_fails_its_items_and_the_loop_goes_on()
    {
        var commits = new GroupCommit<int, int>(maxWeight: 100, _ => 1);
        using var stop = new CancellationTokenSource();
        var loop = commits.RunAsync((batch, _) =>
        {
            foreach (var pending in batch)
            {
                if (pending.Item < 0)
                    pending.Fail(new InvalidOperationException("refused"));
                else
                    pending.Complete(pending.Item);
            }
            return Task.CompletedTask;
        }, stop.Token);

        await Assert.ThrowsAsync<InvalidOperationException>(() => commits.SubmitAsync(-1, CancellationToken.None).WaitAsync(Patience));
        Assert.Equal(7, await commits.SubmitAsync(7, CancellationToken.None).WaitAsync(Patience));
        stop.Cancel();
        await loop.WaitAsync(Patience);
    }

    [Fact]
    public async Task Stopping_cancels_what_is_not_committed_and_refuses_what_comes_after()
    {
        var commits = new GroupCommit<int, int>(maxWeight: 100, _ => 1);
        var recorder = new Recorder();
        using var stop = new CancellationTokenSource();
        var loop = commits.RunAsync(recorder.CommitAsync, stop.Token);
        var inCommit = commits.SubmitAsync(1, CancellationToken.None);
        Assert.True(await recorder.Entered.WaitAsync(Patience));
        var queued = commits.SubmitAsync(2, CancellationToken.None);

        stop.Cancel();
        await loop.WaitAsync(Patience);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => inCommit.WaitAsync(Patience));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued.WaitAsync(Patience));
        await Assert.ThrowsAsync<OperationCanceledException>(() => commits.SubmitAsync(3, CancellationToken.None));
    }
}
