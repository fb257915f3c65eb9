using MassTransit;
using Retab.Runs.Contracts;
using Retab.Runs.Core.Common;
using Retab.Runs.Messaging;
using Retab.Runs.Messaging.Observability;

namespace Retab.Runs.Orchestrator.Consumers;

/// <summary>Starts a run (see <see cref="RunSaga.CreateAsync"/>); a command no run can come from goes straight to the error queue.</summary>
public sealed class CreateTestRunConsumer(RunSaga saga) : IConsumer<CreateTestRun>
{
    public Task Consume(ConsumeContext<CreateTestRun> context)
    {
        SpanTags.Run(context.Message.RunId, context.Message.OrganizationId, context.Message.WorkflowId);
        Validate(context.Message);
        return saga.CreateAsync(context.Message, context, context.CancellationToken);
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
