using System.Diagnostics;
using System.Threading.Channels;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Retab.Runs.Contracts;
using Retab.Runs.Messaging;

namespace Retab.Runs.Worker;

/// <summary>
/// Reports finished tests by group commit, as the orchestrator's fan-in stores them: one publisher sends what is
/// waiting, and every result that finishes while that publish awaits the broker goes into the next one. A lone result
/// is published at once (no window on a single test's latency); a busy worker sends up to
/// <see cref="WorkerOptions.ResultBatchSize"/> results in one <see cref="WorkflowTestsFinished"/>. Each caller waits
/// for the publish that holds its result, so an execution is acknowledged only once its result is on the broker.
/// </summary>
public sealed class FinishedReports(BoundedPublisher publisher, IOptions<WorkerOptions> options) : BackgroundService
{
    private readonly Channel<Report> _reports = Channel.CreateUnbounded<Report>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Completes once <paramref name="finished"/> is published; throws when that publish failed (the execution is then retried).</summary>
    public async Task ReportAsync(ConsumeContext context, WorkflowTestFinished finished, CancellationToken cancellationToken)
    {
        var report = new Report(context, finished, Activity.Current);
        if (!_reports.Writer.TryWrite(report))
            throw new OperationCanceledException("The worker is stopping; the execution will be redelivered.");
        await report.Published.Task.WaitAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = _reports.Reader;
        var batch = new List<Report>();
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < options.Value.ResultBatchSize && reader.TryRead(out var report))
                    batch.Add(report);
                await PublishAsync(batch, stoppingToken);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            // Whatever was not published is not acknowledged either: the broker gives the executions to another worker.
            _reports.Writer.TryComplete();
            foreach (var report in batch)
                report.Published.TrySetCanceled(stoppingToken);
            while (reader.TryRead(out var report))
                report.Published.TrySetCanceled(stoppingToken);
        }
    }

    private async Task PublishAsync(List<Report> batch, CancellationToken stoppingToken)
    {
        // Published in the first result's consume context and span, so its conversation and trace carry on to the
        // orchestrator (MassTransit parents a send on the ambient span, and this loop has none of its own); that consumer
        // is waiting for this very publish, so both are still alive.
        var ambient = Activity.Current;
        Activity.Current = batch[0].Span;
        try
        {
            var context = batch[0].Context;
            if (batch.Count == 1)
                await publisher.Publish(context, batch[0].Finished, stoppingToken);
            else
                await publisher.Publish(context, new WorkflowTestsFinished { Results = batch.ConvertAll(r => r.Finished) }, stoppingToken);
            foreach (var report in batch)
                report.Published.TrySetResult();
        }
        catch (Exception error) when (error is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            foreach (var report in batch)
                report.Published.TrySetException(error);
        }
        finally
        {
            Activity.Current = ambient;
        }
    }

    private sealed record Report(ConsumeContext Context, WorkflowTestFinished Finished, Activity? Span)
    {
        public TaskCompletionSource Published { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
