using MassTransit;
using Retab.Runs.Contracts;
using Retab.Runs.Core.Common;
using Retab.Runs.Core.Runs;
using Retab.Runs.Core.Stores;

namespace Retab.Runs.Orchestrator.Consumers;

/// <summary>
/// Cancels a run and its active slots in one store update. The gateway may already have done the update
/// (to answer the HTTP call with the cancelled run); then this only announces it.
/// </summary>
public sealed class CancelTestRunConsumer(IRunStore runs, RunAnnouncer announcer, RunDispatcher dispatcher, TimeProvider time) : IConsumer<CancelTestRun>
{
    public async Task Consume(ConsumeContext<CancelTestRun> context)
    {
        var command = context.Message;
        var run = await runs.GetRunAsync(command.OrganizationId, command.RunId, context.CancellationToken);
        if (run is null)
            return;
        if (!RunLifecycle.IsTerminal(run.Status))
            run = await runs.CancelRunAsync(run.Id, command.Reason, Clock.Now(time), context.CancellationToken) ?? run;
        if (run.Status == RunStatus.Cancelled)
            dispatcher.Stop(run.Id);
        if (RunLifecycle.IsTerminal(run.Status) && !run.CompletionPublished)
            await announcer.AnnounceEndAsync(run, context, context.CancellationToken);
    }
}
