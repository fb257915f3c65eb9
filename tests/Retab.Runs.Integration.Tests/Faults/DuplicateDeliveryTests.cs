using Retab.Runs.Integration.Tests.Infrastructure;
using Retab.Runs.Testing;
using static Retab.Runs.Integration.Tests.Faults.FaultSettings;

namespace Retab.Runs.Integration.Tests.Faults;

/// <summary>
/// At-least-once delivery taken at its word: every <c>WorkflowTestStarted</c>, <c>WorkflowTestFinished</c> and
/// <c>WorkflowTestsFinished</c> of a 2,000-test run reaches the orchestrator twice (the same envelope, the same message
/// id), some copies long after the test finished, some after the run ended. Counts must not move for a copy (DESIGN §5 rule 3).
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class DuplicateDeliveryTests(BrokerFixture broker, SeededWorkloads seeds, ITestOutputHelper output)
{
    [SkippableFact]
    public async Task Every_worker_event_delivered_twice_leaves_exact_counts_and_one_result_per_test()
    {
        Skip.If(broker.SkipReason is not null, broker.SkipReason);
        await using var scenario = await FaultScenario.StartAsync(broker, seeds, output, "fault-duplicates",
            // Every start reported (no grace), so Started copies race their Finished too.
            TwoWorkers(LongDeadline, TimeSpan.FromSeconds(2), worker: new Dictionary<string, string> { ["Worker:StartedGrace"] = "00:00:00" }),
            Workload.Echo(TestsPerRun));
        var uri = scenario.Stack.VirtualHost.AmqpUri;
        await using var started = await MessageTap.StartAsync(uri, "Retab.Runs.Contracts:WorkflowTestStarted", duplicateEach: true);
        await using var finished = await FinishedTaps.StartAsync(uri, duplicateEach: true);
        var runId = await scenario.StartRunAsync();

        var completion = await scenario.WaitForCompletionAsync(runId, TimeSpan.FromMinutes(3));
        // Every copy sent, heard back (so routed to the orchestrator too), and the orchestrator's queue drained: the audit's
        // second read of the run then sees what the late copies did to it.
        await Eventually.WaitAsync(() => Task.FromResult(AllCopiesBack(started) && AllCopiesBack(finished)), TimeSpan.FromSeconds(60),
            () => $"every event copied and back: Started {Copies(started)}, Finished {Copies(finished)}");
        Assert.Equal(TestsPerRun, finished.Results.Select(r => r["resultId"]!.GetValue<string>()).Distinct().Count());
        await scenario.WaitForQueuesToDrainAsync();
        scenario.Log($"duplicated: Started {Copies(started)}, Finished {Copies(finished)}");

        await scenario.AuditAsync(runId, completion, ExpectedRun.AllVerdicts(scenario.Workload), "every Started and Finished delivered twice", "the run's start");
    }

    private static bool AllCopiesBack(MessageTap tap) =>
        tap.DistinctOriginals > 0 && CopiesBack(tap);

    /// <summary>Results go alone or in batches, as the workers' load has it: either kind may be absent, not both.</summary>
    private static bool AllCopiesBack(FinishedTaps taps) =>
        taps.Single.DistinctOriginals + taps.Batched.DistinctOriginals > 0 && CopiesBack(taps.Single) && CopiesBack(taps.Batched);

    private static bool CopiesBack(MessageTap tap) => tap.CopiesSent == tap.DistinctOriginals && tap.Heard.Count(m => m.IsCopy) >= tap.CopiesSent;

    private static string Copies(MessageTap tap) => $"{tap.CopiesSent} copies of {tap.DistinctOriginals} events";

    private static string Copies(FinishedTaps taps) => $"alone {Copies(taps.Single)}, batched {Copies(taps.Batched)}";
}
