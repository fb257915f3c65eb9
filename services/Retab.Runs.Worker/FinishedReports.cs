using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Retab.Runs.Contracts;
using Retab.Runs.Core.Common;
using Retab.Runs.Messaging;

namespace Retab.Runs.Worker;

/// <summary>
/// Reports finished tests by <see cref="GroupCommit{TItem,TResult}"/>, as the orchestrator's fan-in stores them: a lone
/// result is published at once as a <see cref="WorkflowTestFinished"/>; results that finish while a publish awaits the
/// broker share the next one, up to <see cref="WorkerOptions.ResultBatchSize"/> in one <see cref="WorkflowTestsFinished"/>.
/// Each caller waits for the publish that holds its result, so an execution is acknowledged only once its result is on
/// the broker; whatever is not published when the worker stops is not acknowledged either, and goes to another worker.
/// </summary>
public sealed class FinishedReports(BoundedPublisher publisher, IOptions<WorkerOptions> options) : BackgroundService
{
    /// <summary>Answers <c>true</c> once the result is on the broker.</summary>
    private readonly GroupCommit<Report, bool> _reports = new(options.Value.ResultBatchSize, _ => 1);

    /// <summary>Completes once <paramref name="finished"/> is published; throws when that publish failed (the execution is then retried).</summary>
    public Task ReportAsync(ConsumeContext context, WorkflowTestFinished finished, CancellationToken cancellationToken) =>
        _reports.SubmitAsync(new Report(context, finished, Activity.Current), cancellationToken);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => _reports.RunAsync(PublishAsync, stoppingToken);

    private async Task PublishAsync(IReadOnlyList<GroupCommit<Report, bool>.Pending> batch, CancellationToken stoppingToken)
    {
        // Published in the first result's consume context and span, so its conversation and trace carry on to the
        // orchestrator (MassTransit parents a send on the ambient span, and this loop has none of its own); that consumer
        // is waiting for this very publish, so both are still alive.
        var first = batch[0].Item;
        var ambient = Activity.Current;
        Activity.Current = first.Span;
        try
        {
            if (batch.Count == 1)
                await publisher.Publish(first.Context, first.Finished, stoppingToken);
            else
                await publisher.Publish(first.Context, new WorkflowTestsFinished { Results = batch.Select(p => p.Item.Finished).ToList() }, stoppingToken);
            foreach (var report in batch)
                report.Complete(true);
        }
        catch (Exception error) when (error is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            foreach (var report in batch)
                report.Fail(error);
        }
        finally
        {
            Activity.Current = ambient;
        }
    }

    private sealed record Report(ConsumeContext Context, WorkflowTestFinished Finished, Activity? Span);
}
