using MassTransit;
using Retab.Runs.Contracts;
using Retab.Runs.Messaging.Observability;

namespace Retab.Runs.Orchestrator.Consumers;

/// <summary>Folds a finished test into its run (written together with whatever else arrived meanwhile, see <see cref="ResultFolding"/>).</summary>
public sealed class WorkflowTestFinishedConsumer(ResultFolding folding) : IConsumer<WorkflowTestFinished>
{
    public Task Consume(ConsumeContext<WorkflowTestFinished> context)
    {
        SpanTags.Test(context.Message.RunId, context.Message.TestId, context.Message.OrganizationId);
        SpanTags.Verdict(context.Message.Verdict ?? context.Message.Lifecycle);
        var read = FinishedResults.Read([context.Message]);
        read.ThrowIfAnyUnreadable(nameof(WorkflowTestFinished));
        return folding.ApplyAsync(read.Events, context, context.CancellationToken);
    }
}
