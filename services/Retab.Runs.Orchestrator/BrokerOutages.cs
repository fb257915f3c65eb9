namespace Retab.Runs.Orchestrator;

/// <summary>
/// Whether work can flow through the broker, as the sweeper last saw it, and when it last could again after an
/// outage. Work flows when the broker answers, a worker consumes executions (workers reconnect up to ~35 s after the
/// broker is back) and this orchestrator's own endpoints consume again (or results pile up unread). No test is overdue
/// sooner than one execution deadline after work flows again: during an outage workers can neither take nor report
/// tests, and what the broker held (or took back from consumers that lost their connection) is delivered afterwards,
/// so sending it again then would only run it twice.
/// </summary>
public sealed class BrokerOutages
{
    private readonly Lock _gate = new();
    private bool _flowing = true;

    public bool WorkFlows
    {
        get
        {
            lock (_gate)
                return _flowing;
        }
    }

    public DateTimeOffset? LastBackAt { get; private set; }

    public void Observe(bool workFlows, DateTimeOffset at)
    {
        lock (_gate)
        {
            if (workFlows && !_flowing)
                LastBackAt = at;
            _flowing = workFlows;
        }
    }
}
