using Retab.Runs.Integration.Tests.Infrastructure;
using Retab.Runs.Testing.ModelServer;
using static Retab.Runs.Integration.Tests.Faults.FaultSettings;

namespace Retab.Runs.Integration.Tests.Faults;

/// <summary>
/// The real broker stopped and started under a 2,000-test run (the node behind <c>RETAB_RUNS_RABBITMQ_CTL</c>, always
/// started again). The run is paced by a model-judged assertion (<see cref="Workload.Judged"/>) so that it is still
/// going when each outage begins; nothing but the broker is disturbed.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class BrokerRestartTests(BrokerFixture broker, SeededWorkloads seeds, ITestOutputHelper output)
{
    private const int Restarts = 5;

    [SkippableFact]
    public async Task Five_broker_restarts_in_a_row_lose_no_test_and_every_worker_takes_executions_again()
    {
        Skip.If(broker.ControlUnavailableReason is not null, broker.ControlUnavailableReason);
        await using var model = await LoopbackModelServer.StartAsync();
        model.Chat = Workload.JudgeFruit(TimeSpan.FromMilliseconds(200));
        await using var scenario = await FaultScenario.StartAsync(broker, seeds, output, "fault-broker-restarts",
            TwoWorkers(LongDeadline, TimeSpan.FromSeconds(5), ModelWorker(model.BaseUrl, concurrency: 4)), Workload.Judged(TestsPerRun));
        var runId = await scenario.StartRunAsync();

        var finished = RunAudit.Finished(await scenario.WaitForShareAsync(runId, 0.05, TimeSpan.FromMinutes(2)));
        var lastBack = DateTimeOffset.UtcNow;
        for (var restart = 1; restart <= Restarts; restart++)
        {
            var outage = await BrokerOutage.RunAsync(broker, output, TimeSpan.FromSeconds(5));
            lastBack = DateTimeOffset.UtcNow;
            var before = finished;
            var run = await scenario.WaitUntilAsync(runId, r => RunAudit.Finished(r) > before, RecoveryBound, $"a result to land after broker restart {restart}");
            finished = RunAudit.Finished(run);
            scenario.Log($"broker restart {restart} ({outage}); results land again: {RunAudit.Describe(run)}");
            Assert.False(restart < Restarts && RunInvariants.IsTerminal(run), $"The run ended after restart {restart} of {Restarts}: the workload is paced too fast for this machine.");
        }

        await scenario.AuditAsync(runId, await scenario.WaitForCompletionAsync(runId, RecoveryBound), ExpectedRun.AllVerdicts(scenario.Workload),
            $"{Restarts} broker restarts in a row", "the last broker start", rowChecks: rows => WorkersIdleSince(rows, lastBack, scenario.Stack.Workers));
    }

    [SkippableFact]
    public async Task An_outage_longer_than_the_execution_deadline_loses_no_test_and_runs_none_again_beyond_those_in_flight()
    {
        Skip.If(broker.ControlUnavailableReason is not null, broker.ControlUnavailableReason);
        var deadline = TimeSpan.FromSeconds(10);
        const int window = 16;
        await using var model = await LoopbackModelServer.StartAsync();
        model.Chat = Workload.JudgeFruit(TimeSpan.FromMilliseconds(100));
        var settings = TwoWorkers(deadline, TimeSpan.FromSeconds(1), ModelWorker(model.BaseUrl, concurrency: 4),
            orchestrator: new Dictionary<string, string> { ["Orchestrator:MaxTestsInFlightPerOrganization"] = $"{window}" });
        await using var scenario = await FaultScenario.StartAsync(broker, seeds, output, "fault-long-outage", settings, Workload.Judged(TestsPerRun));
        await using var executions = await FinishedTaps.StartAsync(scenario.Stack.VirtualHost.AmqpUri);
        var runId = await scenario.StartRunAsync();

        scenario.Log($"outage begins at {RunAudit.Describe(await scenario.WaitForShareAsync(runId, 0.3, TimeSpan.FromMinutes(2)))}");
        var outage = await BrokerOutage.RunAsync(broker, output, deadline * 1.5);
        scenario.Log($"broker back ({outage})");
        var completion = await scenario.WaitForCompletionAsync(runId, RecoveryBound);
        await scenario.WaitForQueuesToDrainAsync();

        // The orchestrator never has more than its window out at workers, so no more than that can run twice.
        var ran = executions.Results.Count;
        scenario.Log($"{ran} executions finished (their results published) for {TestsPerRun} tests, window {window}; {RunsPerTest(executions)}");
        string[] observed = ran > TestsPerRun + window
            ? [$"{ran} executions for {TestsPerRun} tests: more than the {window} in flight during the outage ran again"]
            : [];
        await scenario.AuditAsync(runId, completion, ExpectedRun.AllVerdicts(scenario.Workload),
            $"broker down {outage.Down.TotalSeconds:0} s, deadline {deadline.TotalSeconds:0} s", "the broker start", observed);
    }

    /// <summary>How many tests ran how many times, and under which attempt numbers: "1 run × 1990, 2 runs × 10 (attempts 1, 2)".</summary>
    private static string RunsPerTest(FinishedTaps executions)
    {
        var perTest = executions.Results.GroupBy(r => r["testId"]!.GetValue<string>()).ToList();
        var histogram = perTest.GroupBy(g => g.Count()).OrderBy(g => g.Key).Select(g => $"{g.Key} run(s) × {g.Count()}");
        var attempts = perTest.SelectMany(g => g).Select(r => r["attempt"]?.GetValue<int>() ?? 1).Distinct().Order();
        return $"{string.Join(", ", histogram)} (attempts {string.Join(", ", attempts)})";
    }

    /// <summary>Workers that started no test after <paramref name="since"/>: their bus did not come back.</summary>
    private static IEnumerable<string> WorkersIdleSince(IReadOnlyList<JsonNode> rows, DateTimeOffset since, IEnumerable<ServiceProcess> workers)
    {
        var active = rows.Where(r => r["timing"]!["started_at"] is { } started && started.GetValue<DateTimeOffset>() >= since)
            .Select(r => r["worker_id"]?.GetValue<string>()).ToHashSet();
        return workers.Where(w => !active.Contains(w.Name))
            .Select(w => $"worker {w.Name} started no test after the last broker restart ({active.Count} worker(s) did)");
    }
}
