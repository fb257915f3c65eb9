using MassTransit;
using Retab.Runs.Contracts;
using Retab.Runs.Messaging;

namespace Retab.Runs.Worker.Consumers;

/// <summary>
/// A test's <see cref="WorkflowTestStarted"/>, sent only once <see cref="WorkerOptions.StartedGrace"/> has passed and the
/// test is still running: most tests finish sooner, and their <see cref="WorkflowTestFinished"/> says all a Started would.
/// Never awaited before the test runs (the broker's confirmation would add its latency to every test); disposing it
/// waits for a Started already on its way, so a failed publish still fails the execution and it is retried.
/// </summary>
internal sealed class StartReport : IAsyncDisposable
{
    private readonly CancellationTokenSource _finished;
    private readonly Task _sending;

    private StartReport(BoundedPublisher publisher, ConsumeContext context, WorkflowTestStarted started, TimeSpan grace, TimeProvider time,
        CancellationToken cancellationToken)
    {
        _finished = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _sending = grace <= TimeSpan.Zero
            ? publisher.Publish(context, started, cancellationToken)
            : SendAfterAsync(grace, time, () => publisher.Publish(context, started, cancellationToken));
    }

    public static StartReport Begin(BoundedPublisher publisher, ConsumeContext context, WorkflowTestStarted started, TimeSpan grace,
        TimeProvider time, CancellationToken cancellationToken) =>
        new(publisher, context, started, grace, time, cancellationToken);

    /// <summary>The test finished (or failed): a Started not yet due is never sent.</summary>
    public async ValueTask DisposeAsync()
    {
        await _finished.CancelAsync();
        try
        {
            await _sending;
        }
        finally
        {
            _finished.Dispose();
        }
    }

    private async Task SendAfterAsync(TimeSpan grace, TimeProvider time, Func<Task> send)
    {
        // Most tests finish within the grace: their cancelled delay ends quietly instead of throwing, once per test.
        await Task.Delay(grace, time, _finished.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (_finished.IsCancellationRequested)
            return;
        await send();
    }
}
