using MassTransit;
using Retab.Runs.Contracts;
using Retab.Runs.Messaging;
using Retab.Runs.Messaging.Observability;

namespace Retab.Runs.Orchestrator.Consumers;

/// <summary>
/// Folds a worker's batch of finished tests into their runs with one submission to the fan-in; an entry that cannot be
/// read does not hold the others back (<see cref="FinishedResults"/>).
/// </summary>
public sealed class WorkflowTestsFinishedConsumer(ResultFolding folding) : IConsumer<WorkflowTestsFinished>
{
    public async Task Consume(ConsumeContext<WorkflowTestsFinished> context)
    {
        var results = context.Message.Results ?? throw new InvalidMessageException("WorkflowTestsFinished has no Results.");
        if (results.Count > 0 && results.All(r => r.RunId == results[0].RunId))
            SpanTags.Run(results[0].RunId, results[0].OrganizationId);
        var read = FinishedResults.Read(results);
        await folding.ApplyAsync(read.Events, context, context.CancellationToken);
        read.ThrowIfAnyUnreadable(nameof(WorkflowTestsFinished));
    }
}
