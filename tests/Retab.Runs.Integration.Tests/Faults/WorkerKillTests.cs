using Retab.Runs.Integration.Tests.Infrastructure;
using static Retab.Runs.Integration.Tests.Faults.FaultSettings;

namespace Retab.Runs.Integration.Tests.Faults;

/// <summary>
/// <c>kill -9</c> of a worker process at ~30 % of a 2,000-test run. Its unacknowledged executions go back to the queue
/// at once, so the run must finish exactly, well before any execution deadline, whether a replacement starts or not.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class WorkerKillTests(BrokerFixture broker, SeededWorkloads seeds, ITestOutputHelper output)
{
    [SkippableFact]
    public Task A_worker_killed_at_30_percent_and_replaced_leaves_exact_counts_without_waiting_for_the_sweeper() =>
        KillWorkerAtThirtyPercentAsync(replace: true);

    [SkippableFact]
    public Task A_worker_killed_at_30_percent_without_replacement_leaves_the_other_worker_to_finish_exactly() =>
        KillWorkerAtThirtyPercentAsync(replace: false);

    private async Task KillWorkerAtThirtyPercentAsync(bool replace)
    {
        Skip.If(broker.SkipReason is not null, broker.SkipReason);
        await using var scenario = await FaultScenario.StartAsync(broker, seeds, output, "fault-worker-kill",
            TwoWorkers(LongDeadline, TimeSpan.FromSeconds(2)), Workload.Echo(TestsPerRun));
        var runId = await scenario.StartRunAsync();

        var atKill = await scenario.WaitForShareAsync(runId, 0.3, TimeSpan.FromMinutes(2));
        await scenario.Stack.KillWorkerAsync(WorkerA);
        scenario.Log($"killed {WorkerA} (kill -9) at {RunAudit.Describe(atKill)}");
        var completion = scenario.WaitForCompletionAsync(runId, RecoveryBound);
        if (replace)
        {
            await scenario.Stack.StartWorkerAsync(WorkerC);
            scenario.Log($"replacement {WorkerC} consumes");
        }

        await scenario.AuditAsync(runId, await completion, ExpectedRun.AllVerdicts(scenario.Workload),
            replace ? "kill -9 worker at 30 %, replaced" : "kill -9 worker at 30 %, not replaced", "the kill");
    }
}
