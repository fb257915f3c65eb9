using MassTransit;
using Retab.Runs.Contracts;
using Retab.Runs.Core.Common;
using Retab.Runs.Core.Results;
using Retab.Runs.Core.Runs;
using Retab.Runs.Messaging.Observability;

namespace Retab.Runs.Orchestrator.Consumers;

/// <summary>
/// A worker could not process an execution even after retries (poison message, infrastructure failure):
/// the slot ends in <c>error</c>, so the run still finishes with exact counts.
/// </summary>
public sealed class ExecutionFaultConsumer(ResultFolding folding, TimeProvider time) : IConsumer<Fault<ExecuteWorkflowTest>>
{
    public Task Consume(ConsumeContext<Fault<ExecuteWorkflowTest>> context)
    {
        var execution = context.Message.Message;
        SpanTags.Test(execution.RunId, execution.TestId, execution.OrganizationId);
        SpanTags.Verdict("error");
        var reason = context.Message.Exceptions.FirstOrDefault()?.Message ?? "The worker could not process the execution.";
        var failed = SlotFinished.Failed(execution.RunId, execution.ResultId, Clock.Now(time), RunErrorCodes.ExecutionFailed, reason);
        return folding.ApplyAsync([failed], context, context.CancellationToken);
    }
}
