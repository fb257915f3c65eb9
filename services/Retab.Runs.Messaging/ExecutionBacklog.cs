using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Retab.Runs.Messaging.Health;

namespace Retab.Runs.Messaging;

/// <summary>What the work queue holds, as far as this process can tell.</summary>
public enum ExecutionBacklogState
{
    /// <summary>The broker does not answer: nothing can be sent, and nothing concluded about what it holds.</summary>
    Unknown,

    /// <summary>
    /// The broker answers but no worker consumes executions (none runs, or they are still reconnecting after an
    /// outage, which MassTransit retries up to ~35 s apart): whatever is sent waits, so this is an outage too.
    /// </summary>
    NoWorkers,

    /// <summary>No execution waits for a worker: a test sent and not started was lost on the way.</summary>
    Empty,

    /// <summary>Executions wait for a worker: a test sent and not started may simply not have been taken yet.</summary>
    Waiting,
}

/// <summary>Whether executions still wait in the work queue (<see cref="EndpointNames.Execute"/>).</summary>
public interface IExecutionBacklog
{
    Task<ExecutionBacklogState> GetStateAsync(CancellationToken cancellationToken);
}

/// <summary>An in-process queue loses nothing while the process lives, and after a restart every queued test is sent again anyway.</summary>
internal sealed class InProcessExecutionBacklog : IExecutionBacklog
{
    public Task<ExecutionBacklogState> GetStateAsync(CancellationToken cancellationToken) => Task.FromResult(ExecutionBacklogState.Waiting);
}

/// <summary>Asks RabbitMQ how many messages wait, ready, in <see cref="EndpointNames.Execute"/>, and for how many consumers (a passive declare: it creates nothing).</summary>
internal sealed class RabbitMqExecutionBacklog(BrokerProbeConnection broker) : IExecutionBacklog
{
    public async Task<ExecutionBacklogState> GetStateAsync(CancellationToken cancellationToken)
    {
        try
        {
            var connection = await broker.GetAsync();
            await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
            var queue = await channel.QueueDeclarePassiveAsync(EndpointNames.Execute, cancellationToken);
            if (queue.ConsumerCount == 0)
                return ExecutionBacklogState.NoWorkers;
            return queue.MessageCount > 0 ? ExecutionBacklogState.Waiting : ExecutionBacklogState.Empty;
        }
        catch (OperationInterruptedException notFound) when (notFound.ShutdownReason?.ReplyCode == 404)
        {
            return ExecutionBacklogState.NoWorkers; // no queue: no worker ever declared it
        }
        catch (Exception error) when (error is not OperationCanceledException and not OutOfMemoryException)
        {
            return ExecutionBacklogState.Unknown;
        }
    }
}
