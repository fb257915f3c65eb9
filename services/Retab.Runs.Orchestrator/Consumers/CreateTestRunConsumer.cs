using MassTransit;
using Microsoft.Extensions.Options;
using Retab.Runs.Core.Limits;
using Retab.Runs.Contracts;
using Retab.Runs.Core.Common;
using Retab.Runs.Core.Results;
using Retab.Runs.Core.Runs;
using Retab.Runs.Core.Stores;
using Retab.Runs.Messaging;

namespace Retab.Runs.Orchestrator.Consumers;

/// <summary>
/// Starts a run: plans it (again, for a command that came through the gateway; for the first time, for one
/// published straight onto the bus), creates its result slots, moves it to queued and hands it to the dispatcher.
/// A redelivered command finds the run past pending and does nothing.
/// </summary>
public sealed class CreateTestRunConsumer(
    IRunStore runs,
    RunPlanLoader planLoader,
    RunAnnouncer announcer,
    RunDispatcher dispatcher,
    IOptions<OrchestratorOptions> options,
    IOptions<ServiceLimits> limits,
    TimeProvider time) : IConsumer<CreateTestRun>
{
    public async Task Consume(ConsumeContext<CreateTestRun> context)
    {
        var command = context.Message;
        var cancellationToken = context.CancellationToken;
        Validate(command);

        var run = await runs.GetRunAsync(command.OrganizationId, command.RunId, cancellationToken)
                  ?? await RecordRunFromBusAsync(command, cancellationToken);
        if (run.Status != RunStatus.Pending)
        {
            if (RunLifecycle.IsTerminal(run.Status) && !run.CompletionPublished)
                await announcer.AnnounceEndAsync(run, context, cancellationToken);
            return;
        }

        if (await QueueAsync(run, context, cancellationToken) is not { } queued)
            return;
        dispatcher.Send(queued);
        await announcer.CompleteIfFinishedAsync(queued, context, cancellationToken);
    }

    /// <summary>
    /// Plans the run and stores its slots. A method of its own so the plan (every test of the run with its inputs:
    /// several hundred megabytes at 100,000 tests) is garbage by the time the slots go out, while results pour in.
    /// </summary>
    private async Task<TestRun?> QueueAsync(TestRun run, ConsumeContext context, CancellationToken cancellationToken)
    {
        var now = Clock.Now(time);
        var (plan, error) = await planLoader.LoadAsync(run.OrganizationId, run.WorkflowId, run.Scope, limits.Value.MaxTestsPerRun, cancellationToken);
        if (plan is null)
        {
            // The tests or the workflow changed between the gateway's plan and this one.
            if (await runs.FailRunAsync(run.Id, error!, now, cancellationToken) is { } failed)
                await announcer.AnnounceEndAsync(failed, context, cancellationToken);
            return null;
        }
        return await runs.QueuePlannedRunAsync(run.Id, ResultSlots.Create(run, plan, now, options.Value.ExecutionDeadline), now, cancellationToken);
    }

    /// <summary>A command from a third-party publisher: the run document does not exist yet, so create it here with the same rules as the gateway.</summary>
    private async Task<TestRun> RecordRunFromBusAsync(CreateTestRun command, CancellationToken cancellationToken)
    {
        var now = Clock.Now(time);
        var scope = ContractMapping.ToScope(command.Scope);
        var trigger = string.IsNullOrWhiteSpace(command.Trigger?.Type) ? RunDocuments.CustomTrigger : command.Trigger.Type;
        var (plan, error) = await planLoader.LoadAsync(command.OrganizationId, command.WorkflowId, scope, limits.Value.MaxTestsPerRun, cancellationToken);
        var run = plan is null
            ? RunDocuments.Failed(command.RunId, command.OrganizationId, command.WorkflowId, scope, trigger, error!, now)
            : RunDocuments.Pending(command.RunId, command.OrganizationId, plan, scope, trigger, now);
        await runs.InsertRunAsync(run, cancellationToken);
        return run;
    }

    private static void Validate(CreateTestRun command)
    {
        if (!ResourceIds.HasPrefix(command.RunId, ResourceIds.Run))
            throw new InvalidMessageException($"CreateTestRun.RunId must be a run id ('{ResourceIds.Run}_…'), got '{command.RunId}'.");
        if (string.IsNullOrWhiteSpace(command.OrganizationId))
            throw new InvalidMessageException("CreateTestRun.OrganizationId is required.");
        if (string.IsNullOrWhiteSpace(command.WorkflowId))
            throw new InvalidMessageException("CreateTestRun.WorkflowId is required.");
        _ = ContractMapping.ToScope(command.Scope);
    }
}
