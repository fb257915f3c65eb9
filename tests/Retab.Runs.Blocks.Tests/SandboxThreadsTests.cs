using System.Collections.Concurrent;
using System.Diagnostics;

namespace Retab.Runs.Blocks.Tests;

/// <summary>
/// The sandbox's threads and its watchdog, with work that blocks for real (on a gate the test opens at the end) and
/// so never reaches a check: the caller still gets its answer at the limit plus the grace, and the pool keeps its size.
/// </summary>
[Collection(SandboxTimingCollection.Name)]
public sealed class SandboxThreadsTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan Grace = TimeSpan.FromMilliseconds(200);

    /// <summary>Room for a busy two-core machine on top of any expected wait.</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(1.5);

    private readonly ManualResetEventSlim _gate = new();
    private readonly ConcurrentBag<string> _stuckOn = [];

    public void Dispose()
    {
        _gate.Set(); // lets every stuck thread of the test return and end
        _gate.Dispose();
    }

    private string Stuck(CancellationToken ignored)
    {
        _stuckOn.Add(Thread.CurrentThread.Name!);
        _gate.Wait();
        return "stuck";
    }

    [Fact]
    public async Task Work_that_never_returns_is_answered_at_its_limit_and_its_thread_replaced()
    {
        using var sandbox = new SandboxThreads(threadCount: 2, Grace);
        var ranOn = new ConcurrentBag<(string? Thread, bool Background)>();

        var stuck = Enumerable.Range(0, 3).Select(_ => sandbox.RunAsync(Stuck, Limit, CancellationToken.None)).ToArray();
        var normal = sandbox.RunAsync(_ =>
        {
            ranOn.Add((Thread.CurrentThread.Name, Thread.CurrentThread.IsBackground));
            return "normal";
        }, Limit, CancellationToken.None);

        // Two threads take two stuck works; the watchdog frees both at limit + grace; the new threads take the rest.
        Assert.Equal("normal", await normal.WaitAsync(Limit + Grace + Slack));
        // Threads 1 and 2 never return, so the normal work can only have run on a thread started in place of one of
        // them. (Not a clock check: the watchdog's timer counts in coarse ticks and may fire a millisecond early.)
        Assert.DoesNotContain(ranOn.Single().Thread, new[] { "retab-runs-sandbox-1", "retab-runs-sandbox-2" });
        foreach (var work in stuck)
            await Assert.ThrowsAsync<TimeoutException>(() => work.WaitAsync(2 * (Limit + Grace) + Slack));
        Assert.Equal(3, sandbox.AbandonedThreadsStillRunning);
        Assert.All(ranOn, r => Assert.True(r.Background, $"{r.Thread} is a foreground thread: it would keep the process alive"));

        // The abandoned threads come back: they leave the pool instead of taking work, which two threads still serve.
        _gate.Set();
        await Eventually(() => sandbox.AbandonedThreadsStillRunning == 0, "the abandoned threads to end");
        var names = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => sandbox.RunAsync(_ =>
        {
            Thread.Sleep(50);
            return Thread.CurrentThread.Name!;
        }, Limit, CancellationToken.None)));
        Assert.Equal(2, names.Distinct().Count());
        Assert.Contains(ranOn.Single().Thread, names);
        Assert.Empty(names.Intersect(_stuckOn));
    }

    [Fact]
    public async Task Cancelling_the_caller_answers_at_once_and_frees_a_stuck_thread_after_the_grace()
    {
        using var sandbox = new SandboxThreads(threadCount: 1, Grace);
        using var cancel = new CancellationTokenSource();
        var stuck = sandbox.RunAsync(Stuck, TimeSpan.FromMinutes(10), cancel.Token);
        var next = sandbox.RunAsync(_ => "next", Limit, CancellationToken.None);
        await Task.Delay(100);

        var clock = Stopwatch.StartNew();
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stuck.WaitAsync(Slack));
        Assert.True(clock.Elapsed < Grace, $"the cancelled caller waited {clock.Elapsed.TotalMilliseconds:0} ms");
        Assert.Equal("next", await next.WaitAsync(Grace + Slack));
        Assert.Equal(1, sandbox.AbandonedThreadsStillRunning);
    }

    [Fact]
    public async Task Work_that_observes_its_token_keeps_its_thread()
    {
        using var sandbox = new SandboxThreads(threadCount: 1, Grace);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        var polite = sandbox.RunAsync(stop =>
        {
            stop.WaitHandle.WaitOne();
            stop.ThrowIfCancellationRequested();
            return "never";
        }, TimeSpan.FromMinutes(10), cancel.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => polite.WaitAsync(Slack));
        Assert.Equal("retab-runs-sandbox-1",
            await sandbox.RunAsync(_ => Thread.CurrentThread.Name!, Limit, CancellationToken.None).WaitAsync(Slack));
        Assert.Equal(0, sandbox.AbandonedThreadsStillRunning);
    }

    [Fact]
    public async Task The_token_of_abandoned_work_is_cancelled_so_it_can_stop_at_its_next_check()
    {
        using var sandbox = new SandboxThreads(threadCount: 1, Grace);
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var work = sandbox.RunAsync(stop =>
        {
            _gate.Wait(); // past the limit and the grace, then it reaches its "next check"
            if (stop.IsCancellationRequested)
                stopped.SetResult();
            return 0;
        }, Limit, CancellationToken.None);

        await Assert.ThrowsAsync<TimeoutException>(() => work.WaitAsync(Limit + Grace + Slack));
        _gate.Set();
        await stopped.Task.WaitAsync(Slack);
        await Eventually(() => sandbox.AbandonedThreadsStillRunning == 0, "the abandoned thread to end");
    }

    [Fact]
    public async Task Work_cancelled_while_it_waits_for_a_thread_never_runs()
    {
        using var sandbox = new SandboxThreads(threadCount: 1, Grace);
        using var cancel = new CancellationTokenSource();
        var busy = sandbox.RunAsync(_ =>
        {
            Thread.Sleep(200);
            return 0;
        }, Limit, CancellationToken.None);
        var ran = false;
        var queued = sandbox.RunAsync(_ => ran = true, Limit, cancel.Token);

        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued.WaitAsync(TimeSpan.FromMilliseconds(100)));
        await busy.WaitAsync(Slack);
        Assert.Equal(1, await sandbox.RunAsync(_ => 1, Limit, CancellationToken.None).WaitAsync(Slack));
        Assert.False(ran);
    }

    private static async Task Eventually(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"waited 10 s for {what}");
            await Task.Delay(20);
        }
    }
}
