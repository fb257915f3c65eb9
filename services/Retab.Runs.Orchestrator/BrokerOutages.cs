using Retab.Runs.Messaging;

namespace Retab.Runs.Orchestrator;

/// <summary>
/// When work could last flow again after an outage — the broker not answering, or no worker consuming executions
/// (workers reconnect up to ~35 s after the broker is back) — as the sweeper saw it. No test is overdue sooner than one
/// execution deadline after that: during an outage workers can neither take nor report tests, and the executions the
/// broker held (or took back from workers that lost their connection) are delivered again afterwards, so sending them
/// again then would only run them twice.
/// </summary>
public sealed class BrokerOutages
{
    private readonly Lock _gate = new();
    private bool _down;

    public DateTimeOffset? LastBackAt { get; private set; }

    public void Observe(ExecutionBacklogState state, DateTimeOffset at)
    {
        lock (_gate)
        {
            if (state is ExecutionBacklogState.Unknown or ExecutionBacklogState.NoWorkers)
            {
                _down = true;
            }
            else if (_down)
            {
                _down = false;
                LastBackAt = at;
            }
        }
    }
}
