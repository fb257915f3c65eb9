using Retab.Runs.Messaging;

namespace Retab.Runs.Orchestrator;

/// <summary>
/// When the broker last came back after not answering, as the sweeper saw it. No test is overdue sooner than one
/// execution deadline after that: during an outage workers can neither take nor report tests, and the executions the
/// broker held (or takes back from workers that lost their connection) are delivered again once it is back, so
/// sending them again then would only run them twice.
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
            if (state == ExecutionBacklogState.Unknown)
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
