using Retab.Runs.Integration.Tests.Infrastructure;
using static Retab.Runs.Integration.Tests.Faults.FaultSettings;

namespace Retab.Runs.Integration.Tests.Faults;

/// <summary>
/// <c>kill -9</c> of the orchestrator process, then a new one. Everything it had not finished is in the store and on
/// durable queues, so the new process must carry the run to its end right away: the execution deadline is set long
/// (<see cref="LongDeadline"/>), and a run that waits for the sweeper misses <see cref="RecoveryBound"/>.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class OrchestratorKillTests(BrokerFixture broker, SeededWorkloads seeds, ITestOutputHelper output)
{
    [SkippableFact]
    public async Task An_orchestrator_killed_at_30_percent_and_restarted_finishes_the_run_exactly_without_waiting_for_a_deadline()
    {
        Skip.If(broker.SkipReason is not null, broker.SkipReason);
        await using var scenario = await StartAsync("fault-orchestrator-midrun");
        var runId = await scenario.StartRunAsync();

        var atKill = await scenario.WaitForShareAsync(runId, 0.3, TimeSpan.FromMinutes(2));
        await scenario.Stack.KillOrchestratorAsync();
        scenario.Log($"killed the orchestrator (kill -9) at {RunAudit.Describe(atKill)}");

        await RestartAndAuditAsync(scenario, runId, "kill -9 orchestrator at 30 %, restarted");
    }

    [SkippableFact]
    public async Task An_orchestrator_killed_during_the_fan_out_and_restarted_finishes_the_run_exactly_without_waiting_for_a_deadline()
    {
        Skip.If(broker.SkipReason is not null, broker.SkipReason);
        await using var scenario = await StartAsync("fault-orchestrator-fanout");
        var runId = await scenario.StartRunAsync();

        await scenario.Stack.KillOrchestratorAsync();
        var atKill = await scenario.Api.GetAsync($"/v1/workflows/tests/runs/{runId}");
        scenario.Log($"killed the orchestrator (kill -9) right after the 201; now {RunAudit.Describe(atKill)}");

        await RestartAndAuditAsync(scenario, runId, "kill -9 orchestrator during fan-out, restarted");
    }

    private Task<FaultScenario> StartAsync(string purpose) => FaultScenario.StartAsync(broker, seeds, output, purpose,
        TwoWorkers(LongDeadline, TimeSpan.FromSeconds(2)), Workload.Echo(TestsPerRun));

    /// <summary>The completion time counts from the launch of the new orchestrator process.</summary>
    private static async Task RestartAndAuditAsync(FaultScenario scenario, string runId, string fault)
    {
        var completion = scenario.WaitForCompletionAsync(runId, RecoveryBound);
        await scenario.Stack.StartOrchestratorAsync();
        scenario.Log($"{scenario.Stack.Orchestrator.Name} consumes");
        await scenario.AuditAsync(runId, await completion, ExpectedRun.AllVerdicts(scenario.Workload), fault, "the restart");
    }
}
