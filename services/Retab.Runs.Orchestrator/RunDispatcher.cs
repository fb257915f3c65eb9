using System.Threading.Channels;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Retab.Runs.Core.Common;
using Retab.Runs.Core.Results;
using Retab.Runs.Core.Runs;
using Retab.Runs.Core.Stores;
using Retab.Runs.Messaging;
using Retab.Runs.Orchestrator.Observability;

namespace Retab.Runs.Orchestrator;

/// <summary>
/// The only sender of <c>ExecuteWorkflowTest</c>: it lets each organization have at most
/// <see cref="OrchestratorOptions.MaxTestsInFlightPerOrganization"/> tests out at workers (<see cref="DispatchWindows"/>),
/// reading queued slots back from the store a page at a time. One pump loop does every read and send, so windows never
/// race; consumers only wake it. What this process forgets when it stops is recovered from the store: active runs are
/// taken up again at start, and the sweeper restarts a run that stopped moving.
/// </summary>
public sealed class RunDispatcher(
    IRunStore runs, IBus bus, BoundedPublisher publisher, IOptions<OrchestratorOptions> options, TimeProvider time, ILogger<RunDispatcher> logger)
    : BackgroundService
{
    private const int RunsTakenUpAtStart = 10_000;

    /// <summary>How long tests whose sending failed wait before they are sent again (the broker is likely down).</summary>
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);

    private readonly DispatchWindows _windows = new(options.Value.MaxTestsInFlightPerOrganization);
    private readonly Channel<string> _wakeUps = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly FanOutTraces _traces = new();

    /// <summary>Sends a queued run's tests as its organization's window allows; again from its first queued slot if it was already being sent.</summary>
    public void Send(TestRun run)
    {
        _traces.Remember(run.Id);
        Wake(_windows.Admit(run));
    }

    /// <summary>Stops sending a cancelled run; its tests in flight stop counting (workers drop them without a word).</summary>
    public void Stop(string runId) => Wake(_windows.Forget(runId));

    /// <summary>Finished tests free their places; duplicates free nothing.</summary>
    public void Release(IEnumerable<SlotEvent> events)
    {
        foreach (var finished in events.OfType<SlotFinished>())
            Wake(_windows.Release(finished.ResultId));
    }

    public bool IsSending(string runId) => _windows.IsSending(runId);

    /// <summary>When this process sent the test to workers, if it did and has not heard it finish.</summary>
    public DateTimeOffset? SentAt(string resultId) => _windows.SentAt(resultId);

    /// <summary>Sends tests again at once (the sweeper's, with their new deadlines), outside the windows: they already hold their places.</summary>
    public Task ResendAsync(IReadOnlyList<TestResult> slots, CancellationToken cancellationToken) =>
        slots.Count == 0
            ? Task.CompletedTask
            : publisher.PublishBatch(bus, slots.Select(slot => ContractMapping.ToExecution(slot, slot.Deadline)), cancellationToken);

    /// <summary>Tests of an organization sent and not finished (what the limit bounds).</summary>
    public int InFlight(string organizationId) => _windows.InFlight(organizationId);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await TakeUpActiveRunsAsync(stoppingToken);
        var organizations = new HashSet<string>(StringComparer.Ordinal);
        var reader = _wakeUps.Reader;
        while (await reader.WaitToReadAsync(stoppingToken))
        {
            // Every wake-up that arrived meanwhile is served by one pump per organization.
            while (reader.TryRead(out var organizationId))
                organizations.Add(organizationId);
            foreach (var organizationId in organizations)
                await PumpAsync(organizationId, stoppingToken);
            organizations.Clear();
        }
    }

    private async Task PumpAsync(string organizationId, CancellationToken cancellationToken)
    {
        IReadOnlyList<TestResult> taken = [];
        try
        {
            while (true)
            {
                var now = Clock.Now(time);
                taken = _windows.Take(organizationId, now);
                // A test's deadline runs from when it is sent, not from when its run was planned: it may have waited
                // long for a place in its organization's window.
                var deadline = now + options.Value.ExecutionDeadline;
                if (taken.Count > 0)
                    await PublishAsync(taken, deadline, cancellationToken);
                taken = [];
                var refills = _windows.RunsToRefill(organizationId);
                if (refills.Count == 0)
                {
                    _traces.ForgetDone(_windows.IsSending);
                    return;
                }
                foreach (var (runId, after) in refills)
                {
                    // Every slot is listed, not only queued ones, so each store reads one run's results in the order of
                    // an index it has ((run, id) in MongoDB, the id range in LiteDB) instead of sorting a status filter.
                    var page = await runs.ListResultsAsync(organizationId, new ResultQuery(runId),
                        new PageRequest(PageRequest.MaxLimit, After: after, Order: SortOrder.Asc), cancellationToken);
                    _windows.Refill(runId, after, page.Data.Where(s => s.Status == SlotStatus.Queued), page.After);
                }
            }
        }
        catch (Exception error) when (!cancellationToken.IsCancellationRequested)
        {
            // The tests of a failed send go back to their windows and are sent again shortly (a duplicate, if part of
            // the batch did reach the broker, is a no-op); a failed store read is retried with the next wake-up.
            logger.LogError(error, "Sending tests of organization {OrganizationId} failed; retrying in {Delay}", organizationId, RetryDelay);
            var givenBack = _windows.GiveBack(taken);
            _ = Task.Delay(RetryDelay, time, cancellationToken).ContinueWith(_ =>
            {
                Wake(organizationId);
                foreach (var organization in givenBack)
                    Wake(organization);
            }, TaskScheduler.Default);
        }
    }

    /// <summary>Sends tests to workers: in one batch, or, while tracing, one batch per run inside its fan-out span.</summary>
    private async Task PublishAsync(IReadOnlyList<TestResult> slots, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        if (_traces.IsEmpty)
        {
            await publisher.PublishBatch(bus, slots.Select(slot => ContractMapping.ToExecution(slot, deadline)), cancellationToken);
            return;
        }
        foreach (var run in slots.GroupBy(slot => slot.RunId, StringComparer.Ordinal))
        {
            var batch = run.ToList();
            using var span = _traces.StartFanOut(run.Key, batch.Count);
            await publisher.PublishBatch(bus, batch.Select(slot => ContractMapping.ToExecution(slot, deadline)), cancellationToken);
        }
    }

    /// <summary>After a restart nothing is in memory: every run still queued or running is sent again from its first queued slot.</summary>
    private async Task TakeUpActiveRunsAsync(CancellationToken cancellationToken)
    {
        try
        {
            var active = await runs.FindRunsNeedingAttentionAsync(Clock.Now(time), RunsTakenUpAtStart, cancellationToken);
            foreach (var run in active.Where(r => r.Status is RunStatus.Queued or RunStatus.Running))
                Send(run);
        }
        catch (Exception error) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(error, "Could not read active runs at start; the sweeper takes them up when they stall");
        }
    }

    private void Wake(string? organizationId)
    {
        if (organizationId is not null)
            _wakeUps.Writer.TryWrite(organizationId);
    }
}
