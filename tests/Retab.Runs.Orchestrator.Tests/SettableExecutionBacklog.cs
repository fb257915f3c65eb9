using Retab.Runs.Messaging;

namespace Retab.Runs.Orchestrator.Tests;

/// <summary>What the sweeper is told the work queue holds: RabbitMQ's answer (or its silence), set by the test.</summary>
internal sealed class SettableExecutionBacklog : IExecutionBacklog
{
    private volatile ExecutionBacklogState _state = ExecutionBacklogState.Waiting;

    public ExecutionBacklogState State
    {
        get => _state;
        set => _state = value;
    }

    public Task<ExecutionBacklogState> GetStateAsync(CancellationToken cancellationToken) => Task.FromResult(State);
}
